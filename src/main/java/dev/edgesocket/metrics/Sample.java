package dev.edgesocket.metrics;

import java.util.Map;

/**
 * One second of one zone on one server, as the console charts it: open sockets at the end of the second,
 * rates per second over it, and the ping round trips of the last {@link ZoneHistory#PING_WINDOW_SECONDS}
 * seconds (null when no pong arrived in that window).
 *
 * @param t the second (Unix time) at whose start the sample was taken: it covers the second before
 * @param closes closes per second by code tag ({@link ZoneMetrics#codeTag}), only the codes seen
 * @param originConnects connections to the zone's origin per second; null when the zone has no origin
 * @param originFailures failed connections and exchanges with the origin per second (every cause); null likewise
 * @param originConnectMs the mean time a connection to the origin took in that second; null when none was made
 */
public record Sample(long t, int open, double upgradesAccepted, double upgradesRefused, double messagesIn,
        double messagesOut, double bytesIn, double bytesOut, Map<String, Double> closes, Double pingP50Ms,
        Double pingP99Ms, Double originConnects, Double originFailures, Double originConnectMs) {

    /** A sample of a zone without an origin. */
    public Sample(long t, int open, double upgradesAccepted, double upgradesRefused, double messagesIn,
            double messagesOut, double bytesIn, double bytesOut, Map<String, Double> closes, Double pingP50Ms,
            Double pingP99Ms) {
        this(t, open, upgradesAccepted, upgradesRefused, messagesIn, messagesOut, bytesIn, bytesOut, closes, pingP50Ms,
                pingP99Ms, null, null, null);
    }
}
