package dev.edgesocket.metrics;

import java.util.Map;

/**
 * One second of one zone on one server, as the console charts it: open sockets at the end of the second,
 * rates per second over it, and the ping round trips of the last {@link ZoneHistory#PING_WINDOW_SECONDS}
 * seconds (null when no pong arrived in that window).
 *
 * @param t the second (Unix time) at whose start the sample was taken: it covers the second before
 * @param closes closes per second by code tag ({@link ZoneMetrics#codeTag}), only the codes seen
 */
public record Sample(long t, int open, double upgradesAccepted, double upgradesRefused, double messagesIn,
        double messagesOut, double bytesIn, double bytesOut, Map<String, Double> closes, Double pingP50Ms,
        Double pingP99Ms) {
}
