package dev.edgesocket.zone;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One open socket, as {@code GET /api/zones/{zone}/sessions} lists it.
 *
 * @param lastPongRoundTripMillis the last ping's round trip, or {@code null} before the first pong
 * @param node the server that holds the socket, in cluster mode (absent on a single node)
 */
@io.quarkus.runtime.annotations.RegisterForReflection
public record SessionInfo(
        String id,
        String remoteAddress,
        String protocol,
        Instant connectedAt,
        Instant lastDataAt,
        Double lastPongRoundTripMillis,
        long messagesIn,
        long messagesOut,
        long bytesIn,
        long bytesOut,
        long bufferedAmount,
        @JsonInclude(JsonInclude.Include.NON_NULL) String node) {

    /** This snapshot, naming the server that holds the socket. */
    public SessionInfo withNode(String server) {
        return new SessionInfo(id, remoteAddress, protocol, connectedAt, lastDataAt, lastPongRoundTripMillis, messagesIn,
                messagesOut, bytesIn, bytesOut, bufferedAmount, server);
    }
}
