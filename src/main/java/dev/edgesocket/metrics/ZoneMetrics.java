package dev.edgesocket.metrics;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

import dev.edgesocket.zone.UpgradeOutcome;
import dev.edgesocket.zone.Zone;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One zone's meters, resolved once so that the message path only increments counters it already
 * holds. Close codes are grouped into a bounded set of tags.
 */
public final class ZoneMetrics {

    private final MeterRegistry registry;
    private final String zone;
    private final Zone counted;
    private final Counter textIn, binaryIn, textOut, binaryOut, bytesIn, bytesOut, heartbeatTimeouts;
    private final Timer pingRtt;
    private final PingHistogram pings = new PingHistogram();
    private final ConcurrentMap<String, Counter> closes = new ConcurrentHashMap<>();
    // Connection time without visiting every socket: closed time, plus open count x now - sum of open starts.
    private final DoubleAdder closedSeconds = new DoubleAdder();
    private final AtomicLong openCount = new AtomicLong();
    private final AtomicLong openStartSum = new AtomicLong();

    ZoneMetrics(MeterRegistry registry, Zone counted) {
        this.registry = registry;
        this.zone = counted.name();
        this.counted = counted;
        // The zone counts its upgrades' outcomes (one counter each, also read by the config API); the meter reads them.
        for (UpgradeOutcome outcome : UpgradeOutcome.values()) {
            FunctionCounter.builder("edgesocket.upgrades", counted, z -> z.outcomes(outcome))
                    .description("WebSocket upgrade requests by outcome")
                    .tags("zone", zone, "outcome", outcome.name().toLowerCase()).register(registry);
        }
        textIn = messages("in", "text");
        binaryIn = messages("in", "binary");
        textOut = messages("out", "text");
        binaryOut = messages("out", "binary");
        bytesIn = bytes("in");
        bytesOut = bytes("out");
        heartbeatTimeouts = Counter.builder("edgesocket.heartbeat.timeouts").description("Sockets closed for a missing pong")
                .tags("zone", zone).register(registry);
        pingRtt = Timer.builder("edgesocket.ping.rtt").description("Round trip of the server's pings")
                .tags("zone", zone).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        Gauge.builder("edgesocket.connections", counted::openSocketCount).description("Open WebSockets")
                .tags("zone", zone).register(registry);
        FunctionCounter.builder("edgesocket.connection.seconds", this, ZoneMetrics::connectionSeconds)
                .description("Connection time of all sockets, open and closed (Bunny bills connection-minutes)")
                .tags("zone", zone).baseUnit("seconds").register(registry);
    }

    private Counter messages(String direction, String type) {
        return Counter.builder("edgesocket.messages").description("WebSocket messages")
                .tags("zone", zone, "direction", direction, "type", type).register(registry);
    }

    private Counter bytes(String direction) {
        return Counter.builder("edgesocket.bytes").description("WebSocket message payload bytes")
                .tags("zone", zone, "direction", direction).register(registry);
    }

    public void messageIn(boolean text, int size) {
        (text ? textIn : binaryIn).increment();
        bytesIn.increment(size);
    }

    public void messageOut(boolean text, int size) {
        (text ? textOut : binaryOut).increment();
        bytesOut.increment(size);
    }

    public void pingRoundTrip(long nanos) {
        pingRtt.record(nanos, TimeUnit.NANOSECONDS);
        pings.record(nanos);
    }

    public void heartbeatTimeout() {
        heartbeatTimeouts.increment();
    }

    public void opened(long startNanos) {
        openCount.incrementAndGet();
        openStartSum.addAndGet(startNanos);
    }

    public void closed(int code, long startNanos) {
        openStartSum.addAndGet(-startNanos);
        openCount.decrementAndGet();
        closedSeconds.add((System.nanoTime() - startNanos) / 1e9);
        closes.computeIfAbsent(codeTag(code), tag -> Counter.builder("edgesocket.closes").description("Closes by code")
                .tags("zone", zone, "code", tag).register(registry)).increment();
    }

    // What the console's charts sample each second (ZoneHistory): the meters' own counts since start.

    /** Open sockets, counted as they open and close: what the gauge shows, without walking the zone's sockets. */
    int openSockets() {
        return (int) openCount.get();
    }

    double upgradesAccepted() {
        return counted.outcomes(UpgradeOutcome.ACCEPTED);
    }

    /** Every outcome but accepted: refused by the zone (disabled, limit, origin), by the script, or malformed. */
    double upgradesRefused() {
        double refused = 0;
        for (UpgradeOutcome outcome : UpgradeOutcome.values()) {
            if (outcome != UpgradeOutcome.ACCEPTED) {
                refused += counted.outcomes(outcome);
            }
        }
        return refused;
    }

    double messagesIn() {
        return textIn.count() + binaryIn.count();
    }

    double messagesOut() {
        return textOut.count() + binaryOut.count();
    }

    double bytesIn() {
        return bytesIn.count();
    }

    double bytesOut() {
        return bytesOut.count();
    }

    /** Closes so far by code tag (a bounded set: see {@link #codeTag}). */
    void forEachClose(java.util.function.ObjLongConsumer<String> action) {
        closes.forEach((tag, counter) -> action.accept(tag, (long) counter.count()));
    }

    PingHistogram pings() {
        return pings;
    }

    private double connectionSeconds() {
        long open = openCount.get();
        double openSeconds = open == 0 ? 0 : (open * System.nanoTime() - openStartSum.get()) / 1e9;
        return closedSeconds.sum() + Math.max(0, openSeconds);
    }

    /** Bounded tags: the RFC 6455 codes as they are, 3000-4999 by thousand, anything else as "other". */
    static String codeTag(int code) {
        if (code >= 1000 && code <= 1015) {
            return String.valueOf(code);
        }
        if (code >= 3000 && code <= 3999) {
            return "3xxx";
        }
        if (code >= 4000 && code <= 4999) {
            return "4xxx";
        }
        return "other";
    }
}
