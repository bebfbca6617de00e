package dev.edgesocket.zone;

import java.time.Instant;

/**
 * One open socket, as {@code GET /api/zones/{zone}/sessions} lists it.
 *
 * @param lastPongRoundTripMillis the last ping's round trip, or {@code null} before the first pong
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
        long bufferedAmount) {
}
