package dev.edgesocket.origin;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import dev.edgesocket.zone.OriginSettings;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;

/**
 * Why the origin could not answer, as the client hears it (502 or 504, with a sentence) and as the meters count it
 * ({@code cause} tag: refused, timeout, bad_response, dropped).
 */
record OriginFailure(Cause cause, int status, String sentence) {

    enum Cause {
        /** Nothing accepted the connection: refused, unknown host, no route, or a TLS handshake that failed. */
        REFUSED,
        /** No connection, or no response head, within the zone's timeouts. */
        TIMEOUT,
        /** What came back was not a valid HTTP response (or WebSocket handshake). */
        BAD_RESPONSE,
        /** The origin closed the connection before it answered. */
        DROPPED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The failure of a request to {@code origin}, from what Vert.x reported. */
    static OriginFailure of(Throwable failure, OriginSettings origin) {
        String url = origin.url().toString();
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 5; depth++, cause = cause.getCause()) {
            if (cause instanceof ConnectTimeoutException || cause instanceof TimeoutException) {
                return timeout("The origin " + url + " did not accept a connection within "
                        + origin.connectTimeout().toMillis() + " ms.");
            }
            if (cause instanceof UnknownHostException) {
                return new OriginFailure(Cause.REFUSED, 502, "The origin " + url + " could not be reached: its host "
                        + "name is unknown.");
            }
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
                return new OriginFailure(Cause.REFUSED, 502, "The origin " + url + " refused the connection.");
            }
            if (cause instanceof SSLException) {
                return new OriginFailure(Cause.REFUSED, 502, "The origin " + url + " could not be reached over TLS: "
                        + cause.getMessage() + ".");
            }
            if (cause instanceof HttpClosedException || cause instanceof java.io.IOException) {
                return dropped(url); // closed or reset under the request ("Connection reset by peer")
            }
        }
        String message = String.valueOf(failure.getMessage());
        if (message.contains("Connection was closed") || message.contains("closed")) {
            return dropped(url);
        }
        return new OriginFailure(Cause.BAD_RESPONSE, 502, "The origin " + url + " sent something that is not a "
                + "valid HTTP response.");
    }

    static OriginFailure timeout(String sentence) {
        return new OriginFailure(Cause.TIMEOUT, 504, sentence);
    }

    static OriginFailure dropped(String url) {
        return new OriginFailure(Cause.DROPPED, 502, "The origin " + url + " closed the connection before it answered.");
    }
}
