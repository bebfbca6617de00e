package dev.edgesocket.runtime;

import java.util.Map;

import dev.edgesocket.api.Response;
import dev.edgesocket.origin.OriginBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes responses to Vert.x: a script's {@link Response}, or one of our plain-sentence errors. */
final class HttpResponses {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(HttpResponses.class);

    private HttpResponses() {
    }

    static void write(RoutingContext rc, Response response) {
        HttpServerResponse out = rc.response();
        if (out.ended() || out.closed()) {
            return; // the client went away while the script ran
        }
        try {
            out.setStatusCode(response.status());
            for (Map.Entry<String, String> header : response.headers()) {
                out.headers().add(header.getKey(), header.getValue());
            }
            if (response.streamedBody() instanceof OriginBody body) {
                body.writeTo(rc.request(), out); // the origin's body, as it comes
                return;
            }
            out.end(Buffer.buffer(response.body()));
        } catch (RuntimeException e) {
            // Whatever Vert.x refuses while writing, the client gets a status line, never a hung request.
            LOG.errorf(e, "A response to %s %s could not be written", rc.request().method(), rc.request().path());
            if (!out.headWritten()) {
                out.headers().clear();
                out.setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("The server could not write the zone's response.\n");
            } else {
                rc.request().connection().close();
            }
        }
    }

    /** A plain-text error whose body is one sentence saying what was wrong. */
    static void sentence(RoutingContext rc, int status, String sentence, Map<String, String> headers) {
        Response response = Response.text(status, sentence + "\n");
        for (Map.Entry<String, String> header : headers.entrySet()) {
            response = response.withHeader(header.getKey(), header.getValue());
        }
        write(rc, response);
    }
}
