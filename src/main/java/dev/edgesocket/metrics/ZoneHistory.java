package dev.edgesocket.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * The last {@link #CAPACITY} seconds of every zone on this server, for the console's charts: once a second,
 * just after the wall clock's second turns, a Vert.x timer reads the same counters the meters publish and
 * stores one {@link Sample} per zone in a ring of fixed size. Readers copy what they need without a lock. A
 * zone that is no longer in the registry loses its ring at the next sample.
 * <p>
 * Lifecycle: sampling starts with the application and stops at shutdown. The timer runs on an event loop and
 * does a few dozen reads and one small allocation per zone; nothing on the message path changes.
 */
@Singleton
public class ZoneHistory {

    /** Seconds kept per zone: 15 minutes. */
    public static final int CAPACITY = 900;
    /** The ping percentiles of a sample cover the pongs of this many seconds (the default idle-timeout). */
    public static final int PING_WINDOW_SECONDS = 30;

    private final ZoneRegistry zones;
    private final EdgesocketMetrics metrics;
    private final Vertx vertx;
    // The origin's totals per zone, supplied by the room that can read the origin's meters (admin); none in a
    // build without it.
    private final Instance<OriginCounts> originCounts;
    private final Map<String, Ring> rings = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile long timer = -1;

    @Inject
    public ZoneHistory(ZoneRegistry zones, EdgesocketMetrics metrics, Vertx vertx, Instance<OriginCounts> originCounts) {
        this.zones = zones;
        this.metrics = metrics;
        this.vertx = vertx;
        this.originCounts = originCounts;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        sample(); // the baseline: rates start with the next second
        scheduleNext();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        vertx.cancelTimer(timer);
    }

    private void scheduleNext() {
        long delay = 1000 - System.currentTimeMillis() % 1000 + 5;
        timer = vertx.setTimer(delay, id -> {
            if (running) {
                sample();
                scheduleNext();
            }
        });
    }

    /** Takes one sample of every zone; on the timer's event loop, one at a time. */
    void sample() {
        long second = System.currentTimeMillis() / 1000;
        Set<String> present = new HashSet<>();
        OriginCounts origins = originCounts.isResolvable() ? originCounts.get() : null;
        for (Zone zone : zones.all()) {
            present.add(zone.name());
            ZoneMetrics m = metrics.forZone(zone);
            rings.computeIfAbsent(zone.name(), name -> new Ring()).sample(second, m.openSockets(), m,
                    origins == null ? null : origins.of(zone));
        }
        rings.keySet().retainAll(present);
    }

    /**
     * This server's samples after second {@code since} (Unix time; 0 for all), oldest first, by zone name: the
     * zone named {@code zone}, or every zone when it is null.
     */
    public Map<String, Series> series(String zone, long since) {
        Map<String, Series> result = new LinkedHashMap<>();
        for (Zone z : zones.all()) {
            if (zone == null || zone.equals(z.name())) {
                Ring ring = rings.get(z.name());
                result.put(z.name(), Series.of(ring == null ? List.of() : ring.after(since)));
            }
        }
        return result;
    }

    static double round(double rate) {
        return Math.round(rate * 100) / 100.0;
    }

    /** One zone's samples, written by the sampler only, read by anyone. */
    static final class Ring {

        // One slot more than is read: the slot the sampler writes next is never one a reader wants.
        private final AtomicReferenceArray<Sample> samples = new AtomicReferenceArray<>(CAPACITY + 1);
        private volatile long written;

        // The sampler's own state: the counts at the previous sample, and copies of the ping buckets.
        private long previousSecond = -1;
        private double accepted, refused, messagesIn, messagesOut, bytesIn, bytesOut;
        // The origin's totals at the previous sample in which the zone had one: its meters keep counting across a
        // time without an origin, so the next rate starts from where they were.
        private double originConnects, originFailures, originConnectSeconds;
        private final Map<String, Long> closes = new HashMap<>();
        private final long[][] pingCopies = new long[PING_WINDOW_SECONDS + 1][];
        private int pingCopiesTaken;

        Ring() {
            for (int i = 0; i < pingCopies.length; i++) {
                pingCopies[i] = PingHistogram.newCounts();
            }
        }

        void sample(long second, int open, ZoneMetrics m) {
            sample(second, open, m, null);
        }

        void sample(long second, int open, ZoneMetrics m, OriginCounts.Totals origin) {
            if (second == previousSecond) {
                return; // the timer fired twice within one second: keep one sample per second
            }
            // Per second of the wall clock: normally one, more when the timer was late and a second was skipped.
            double seconds = Math.max(1, second - previousSecond);
            boolean baseline = previousSecond < 0;
            double a = m.upgradesAccepted(), r = m.upgradesRefused(), in = m.messagesIn(), out = m.messagesOut(),
                    bin = m.bytesIn(), bout = m.bytesOut();
            Map<String, Double> closed = new HashMap<>();
            m.forEachClose((code, count) -> {
                Long before = closes.put(code, count);
                long delta = count - (before == null ? 0 : before);
                if (delta > 0 && !baseline) {
                    closed.put(code, round(delta / seconds));
                }
            });
            int slot = pingCopiesTaken % pingCopies.length;
            m.pings().copyTo(pingCopies[slot]);
            pingCopiesTaken++;
            long[] oldest = pingCopies[pingCopiesTaken > PING_WINDOW_SECONDS ? pingCopiesTaken % pingCopies.length : 0];
            if (!baseline) {
                Double connects = null, failures = null, connectMs = null;
                if (origin != null) {
                    double made = origin.connects() - originConnects;
                    connects = rate(made, seconds);
                    failures = rate(origin.failures() - originFailures, seconds);
                    connectMs = made > 0 ? round(Math.max(0, origin.connectSeconds() - originConnectSeconds) * 1000 / made) : null;
                }
                Sample s = new Sample(second, open, rate(a - accepted, seconds), rate(r - refused, seconds),
                        rate(in - messagesIn, seconds), rate(out - messagesOut, seconds), rate(bin - bytesIn, seconds),
                        rate(bout - bytesOut, seconds), closed.isEmpty() ? Map.of() : Map.copyOf(closed), PingHistogram.quantileMillis(pingCopies[slot], oldest, 0.5),
                        PingHistogram.quantileMillis(pingCopies[slot], oldest, 0.99), connects, failures, connectMs);
                long index = written;
                samples.set((int) (index % (CAPACITY + 1)), s);
                written = index + 1;
            }
            previousSecond = second;
            accepted = a;
            refused = r;
            messagesIn = in;
            messagesOut = out;
            bytesIn = bin;
            bytesOut = bout;
            if (origin != null) {
                originConnects = origin.connects();
                originFailures = origin.failures();
                originConnectSeconds = origin.connectSeconds();
            }
        }

        private static double rate(double delta, double seconds) {
            return seconds <= 0 ? 0 : round(Math.max(0, delta) / seconds);
        }

        /** The samples after second {@code since}, oldest first, at most {@link #CAPACITY}. */
        List<Sample> after(long since) {
            long end = written;
            long start = Math.max(0, end - CAPACITY);
            List<Sample> result = new ArrayList<>((int) Math.min(CAPACITY, end - start));
            long last = since;
            for (long i = start; i < end; i++) {
                Sample s = samples.get((int) (i % (CAPACITY + 1)));
                if (s != null && s.t() > last) {
                    result.add(s);
                    last = s.t();
                }
            }
            return result;
        }
    }
}
