package dev.edgesocket.origin;

import org.jboss.logging.Logger;

import dev.edgesocket.api.Response;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * The body of an origin's response, paused until it is written to the client (piped, at the pace the client takes
 * it) or let go (a middleware script answered with something else). Either happens once, on the request's event loop.
 */
public final class OriginBody implements Response.Streamed {

    private static final Logger LOG = Logger.getLogger(OriginBody.class);

    private final HttpClientResponse answer;
    private final OriginMeters.ForZone meters;
    private boolean used;

    OriginBody(HttpClientResponse answer, OriginMeters.ForZone meters) {
        this.answer = answer;
        this.meters = meters;
        // Failures reach the pipe (or nobody, once let go); without a handler Vert.x logs each one as an ERROR.
        answer.exceptionHandler(ignored -> {
        });
    }

    /**
     * Writes the response head as {@code out} holds it now, then the body as it comes. A body that breaks off after
     * the head went out resets the client's response: nothing else can be said then.
     */
    public void writeTo(HttpServerRequest in, HttpServerResponse out) {
        if (used) {
            throw new IllegalStateException("An origin's body is written once.");
        }
        used = true;
        if (out.closed() || out.ended()) {
            answer.request().reset();
            return;
        }
        int status = out.getStatusCode();
        boolean bodyless = in.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
        if (!bodyless && !out.headers().contains(HttpHeaders.CONTENT_LENGTH) && in.version() != HttpVersion.HTTP_2) {
            out.setChunked(true);
        }
        out.closeHandler(v -> answer.request().reset()); // the client left: the origin's side goes too
        // A body that breaks off must not reach the client as if whole: no end on failure, the connection is reset.
        answer.pipe().endOnFailure(false).to(out).onFailure(failure -> {
            if (out.closed()) {
                return; // the client left: nothing the origin did
            }
            meters.failed(OriginFailure.Cause.DROPPED);
            LOG.debugf("The origin's response to %s %s broke off: %s", in.method(), in.path(), failure.getMessage());
            if (!out.reset()) {
                in.connection().close(); // HTTP/1 once the head is out: only closing says the body is cut short
            }
        });
    }

    /** Lets the body go unread (its connection is closed rather than drained). */
    public void discard() {
        if (!used) {
            used = true;
            answer.request().reset();
        }
    }
}
