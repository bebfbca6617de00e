package dev.edgesocket.admin;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import dev.edgesocket.channels.ChannelHub;
import dev.edgesocket.channels.ChannelNames;

/** Publishing to BroadcastChannels from a backend, and the channels open across the deployment. */
@Path("/api/channels")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "AccessKey")
@APIResponse(responseCode = "401", description = "Missing or wrong AccessKey",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class ChannelResource {

    @Inject
    ChannelHub channels;

    /** What a post answers: the channel and the message's size and kind. */
    public record Posted(String channel, int bytes, boolean binary) {
    }

    /** The open channels; {@code problem} says why other servers' counts are missing, when they are. */
    public record ChannelList(List<ChannelHub.ChannelCount> channels, String problem) {
    }

    @POST
    @Path("{name}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Post a message to a channel on every server",
            description = "The body goes to every open BroadcastChannel object of that name, on every server, as "
                    + "one message: binary for application/octet-stream, text (UTF-8) for any other type. Delivery "
                    + "is at most once; 202 means Redis took the message and this server's objects have it. In "
                    + "cluster mode, while Redis cannot be reached the post is refused with 503 and delivered nowhere, "
                    + "not even here, so posting it again later does not duplicate it.")
    @RequestBody(content = { @Content(mediaType = "text/plain"), @Content(mediaType = "application/octet-stream") })
    @APIResponse(responseCode = "202", description = "Posted",
            content = @Content(schema = @Schema(implementation = Posted.class)))
    @APIResponse(responseCode = "400", description = "Bad channel name, body too large or not UTF-8 text",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "Cluster mode: Redis cannot be reached; nothing was delivered",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public CompletionStage<Response> post(@PathParam("name") String name, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            byte[] body) {
        String problem = ChannelNames.problem(name);
        if (problem != null) {
            return done(bad(problem));
        }
        byte[] bytes = body == null ? new byte[0] : body;
        if (bytes.length > channels.maxMessageSize()) {
            return done(bad("A message of " + bytes.length + " bytes is larger than edgesocket.channels.max-message-size ("
                    + channels.maxMessageSize() + " bytes)."));
        }
        boolean binary = contentType != null
                && contentType.toLowerCase(java.util.Locale.ROOT).startsWith(MediaType.APPLICATION_OCTET_STREAM);
        Object data = bytes;
        if (!binary) {
            try {
                data = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return done(bad("The body is not UTF-8 text; send binary messages as application/octet-stream."));
            }
        }
        Posted posted = new Posted(name, bytes.length, binary);
        return channels.publish(name, data).handle((ok, failure) -> failure == null
                ? Response.accepted(posted).build()
                : Response.status(503).entity(ApiError.of(sentence(failure))).type(MediaType.APPLICATION_JSON).build());
    }

    /** The transport's own sentence, from under the CompletionException that carries it. */
    private static String sentence(Throwable failure) {
        Throwable t = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return t.getMessage();
    }

    private static CompletionStage<Response> done(Response response) {
        return java.util.concurrent.CompletableFuture.completedFuture(response);
    }

    @GET
    @Operation(summary = "The channels open on every server, with their subscriber counts",
            description = "Counts are channel objects (usually one per socket). In cluster mode they add up every "
                    + "server's, with each server's count under nodes; other servers report theirs every "
                    + "node-timeout/3.")
    public CompletionStage<ChannelList> list() {
        return channels.counts().handle((counts, failure) -> failure == null
                ? new ChannelList(List.copyOf(counts.values()), null)
                : new ChannelList(List.copyOf(channels.localOnly().values()), rootMessage(failure)));
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static Response bad(String sentence) {
        return Response.status(400).entity(new ApiError(sentence, Map.of())).type(MediaType.APPLICATION_JSON).build();
    }
}
