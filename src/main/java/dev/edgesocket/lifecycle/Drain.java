package dev.edgesocket.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.edgesocket.config.EdgesocketConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;
import dev.edgesocket.zone.ZoneSocket;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import sun.misc.Signal;

/**
 * Graceful drain, for rolling updates. On SIGTERM: readiness goes down at once, new upgrades get 503,
 * every open socket is closed with 1001 "Server shutting down", spread over the drain period so the
 * clients do not stampede the remaining pods, and the process waits for the close handshakes up to
 * the drain timeout, then exits 0.
 * <p>
 * Why our own SIGTERM handler: by default the JVM starts its shutdown hooks on SIGTERM, Quarkus then
 * stops the HTTP server (and with it every connection) before application code can say goodbye, and
 * the exit code is 143. Draining first, with the server still up, then asking Quarkus to exit 0, gives
 * every client its close frame.
 */
@Singleton
public class Drain {

    /** RFC 6455 7.4.1: the endpoint is going away (a server shutting down). */
    private static final int GOING_AWAY = 1001;

    private static final Logger LOG = Logger.getLogger(Drain.class);
    static final String REASON = "Server shutting down";

    private final ZoneRegistry zones;
    private final Duration period;
    private final Duration timeout;
    private volatile boolean draining;
    private volatile long drainStartNanos;
    private volatile boolean drained;

    @Inject
    public Drain(ZoneRegistry zones, EdgesocketConfig config, MeterRegistry registry) {
        this.zones = zones;
        this.period = config.shutdown().drainPeriod();
        this.timeout = config.shutdown().drainTimeout();
        Duration closeTimeout = config.closeTimeout();
        if (timeout.compareTo(period.plus(closeTimeout)) <= 0) {
            // The last socket is closed at the end of the period and may take the close timeout to answer.
            throw new IllegalStateException("edgesocket.shutdown.drain-timeout (" + timeout
                    + ") must be longer than edgesocket.shutdown.drain-period (" + period
                    + ") plus edgesocket.close-timeout (" + closeTimeout
                    + "), or the last client is cut off before its close handshake can finish.");
        }
        // The drain's own gauges, for the alert that a drain outlives its timeout.
        Gauge.builder("edgesocket.draining", this, d -> d.draining() ? 1 : 0)
                .description("1 from the start of the graceful drain (SIGTERM) until the process exits").register(registry);
        Gauge.builder("edgesocket.drain.elapsed", this, d -> d.drainingForNanos() / (double) TimeUnit.SECONDS.toNanos(1))
                .description("Seconds the graceful drain has been running, 0 before it").baseUnit("seconds").register(registry);
        Gauge.builder("edgesocket.drain.timeout", this, d -> d.timeout.toMillis() / 1000.0)
                .description("edgesocket.shutdown.drain-timeout: the drain should end, and the process exit, within it")
                .baseUnit("seconds").register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        // Only a real server process owns its signals; tests and dev mode share their JVM with tools.
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            try {
                Signal.handle(new Signal("TERM"), signal -> {
                    Thread drainer = new Thread(this::drainAndExit, "edgesocket-drain");
                    drainer.start();
                });
            } catch (IllegalArgumentException e) {
                LOG.warn("SIGTERM cannot be handled on this platform; sockets will not be drained on shutdown");
            }
        }
    }

    /** Any other shutdown (Ctrl-C, Quarkus.asyncExit): drain too, unless the SIGTERM path already did. */
    void onShutdown(@Observes ShutdownEvent event) {
        if (!drained) {
            drain();
        }
    }

    private void drainAndExit() {
        LOG.info("SIGTERM: draining WebSockets before exit");
        drain();
        Quarkus.asyncExit(0);
    }

    public boolean draining() {
        return draining;
    }

    /** How long the drain has been running (until the process exits), 0 before it starts. */
    public long drainingForNanos() {
        return draining ? System.nanoTime() - drainStartNanos : 0;
    }

    /** Closes every open socket, spread over the drain period, and waits for them up to the drain timeout. */
    synchronized void drain() {
        if (drained) {
            return;
        }
        long start = System.nanoTime();
        drainStartNanos = start;
        draining = true;
        List<ZoneSocket> open = new ArrayList<>();
        for (Zone zone : zones.all()) {
            open.addAll(zone.openSockets());
        }
        LOG.infof("Draining %d open sockets over %s (waiting at most %s)", open.size(), period, timeout);
        long periodNanos = period.toNanos();
        for (int i = 0; i < open.size(); i++) {
            long due = start + (open.size() == 1 ? 0 : periodNanos * i / open.size());
            sleepUntil(due);
            try {
                open.get(i).close(GOING_AWAY, REASON);
            } catch (RuntimeException e) {
                LOG.debugf(e, "Could not close socket %s", open.get(i).id());
            }
        }
        long deadline = start + timeout.toNanos();
        while (placesTaken() > 0 && System.nanoTime() < deadline) {
            // Sockets admitted before the drain but opened after the snapshot above get their 1001 too
            // (close() on a socket already closing does nothing).
            closeAll();
            sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20));
        }
        int left = placesTaken();
        if (left > 0) {
            LOG.warnf("%d sockets did not finish their close handshake within %s; they are dropped", left, timeout);
        } else {
            LOG.infof("All sockets closed in %d ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
        drained = true;
    }

    private void closeAll() {
        for (Zone zone : zones.all()) {
            for (ZoneSocket socket : zone.openSockets()) {
                try {
                    socket.close(GOING_AWAY, REASON);
                } catch (RuntimeException e) {
                    LOG.debugf(e, "Could not close socket %s", socket.id());
                }
            }
        }
    }

    /** Open sockets, and upgrades admitted before the drain that may still open. */
    private int placesTaken() {
        int n = 0;
        for (Zone zone : zones.all()) {
            n += zone.placesTaken();
        }
        return n;
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
