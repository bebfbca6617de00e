package dev.edgesocket.admin;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Refuses config API calls without the right {@code AccessKey} header. */
public class AccessKeyFilter {

    static final String HEADER = "AccessKey";

    @Inject
    AdminAccess access;

    @ServerRequestFilter(preMatching = true)
    public Response check(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/api") && !path.startsWith("/api/")) {
            return null;
        }
        if (access.accepts(request.getHeaderString(HEADER))) {
            return null;
        }
        String sentence;
        if (!access.configured()) {
            sentence = "The admin API is off: the server has no API key (set EDGESOCKET_ADMIN_API_KEY).";
        } else if (request.getHeaderString(HEADER) == null) {
            sentence = "This call needs the header AccessKey with the admin API key.";
        } else {
            sentence = "The AccessKey header does not match the admin API key.";
        }
        return Response.status(401).type(MediaType.APPLICATION_JSON).entity(ApiError.of(sentence)).build();
    }
}
