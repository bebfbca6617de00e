package dev.edgesocket.origin;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Each zone's origin meters: connections made ({@code edgesocket_origin_connects_total}), failures by cause
 * ({@code edgesocket_origin_failures_total{cause}}) and the time a connection took
 * ({@code edgesocket_origin_connect_seconds}). Registered here, by the room that counts them.
 */
@Singleton
public class OriginMeters {

    /** One zone's meters, resolved once so that a request only increments what it already holds. */
    public static final class ForZone {
        private final Counter connects;
        private final Counter[] failures = new Counter[OriginFailure.Cause.values().length];
        private final Timer connectTime;

        ForZone(MeterRegistry registry, String zone) {
            connects = Counter.builder("edgesocket.origin.connects").description("Requests and sockets that reached the origin")
                    .tags("zone", zone).register(registry);
            for (OriginFailure.Cause cause : OriginFailure.Cause.values()) {
                failures[cause.ordinal()] = Counter.builder("edgesocket.origin.failures")
                        .description("Requests and sockets the origin failed, by cause")
                        .tags("zone", zone, "cause", cause.tag()).register(registry);
            }
            connectTime = Timer.builder("edgesocket.origin.connect").description("Time to a connection to the origin")
                    .tags("zone", zone).publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
        }

        void connected(long sinceNanos) {
            connects.increment();
            connectTime.record(System.nanoTime() - sinceNanos, TimeUnit.NANOSECONDS);
        }

        void failed(OriginFailure.Cause cause) {
            failures[cause.ordinal()].increment();
        }

        /** Counts for /api/stats. */
        public long connects() {
            return (long) connects.count();
        }

        public long failures() {
            long sum = 0;
            for (Counter counter : failures) {
                sum += (long) counter.count();
            }
            return sum;
        }

        /** The seconds all connections to the origin took to connect, for /api/stats' mean connect time. */
        public double connectSeconds() {
            return connectTime.totalTime(TimeUnit.SECONDS);
        }
    }

    private final MeterRegistry registry;
    private final Map<String, ForZone> zones = new ConcurrentHashMap<>();

    @Inject
    public OriginMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A zone's meters; zones are fixed at start, so this map is bounded by them. */
    public ForZone forZone(String zone) {
        return zones.computeIfAbsent(zone, z -> new ForZone(registry, z));
    }
}
