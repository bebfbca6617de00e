package dev.edgesocket.runtime;

import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.edgesocket.heartbeat.HeartbeatScheduler;
import dev.edgesocket.metrics.EdgesocketMetrics;
import dev.edgesocket.metrics.ZoneMetrics;
import dev.edgesocket.zone.Admission;
import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.zone.SessionDirectory;
import dev.edgesocket.zone.QueuedBytes;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneSettings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What every socket shares: the worker pool, the close timeout, the compressors, and the zone's two
 * services, admission (places) and the session directory (ids), single node or cluster.
 */
@Singleton
public class SocketRuntime {

    private final WorkerPool workers;
    private final HeartbeatScheduler heartbeats;
    private final EdgesocketMetrics metrics;
    private final Duration closeTimeout;
    private final Admission admission;
    private final SessionDirectory sessions;
    // Idle compressors kept for permessage-deflate: about one per thread that may send at once.
    private final Deflaters deflaters = new Deflaters(4 * Runtime.getRuntime().availableProcessors() + 16);
    private final QueueBudget budget;
    private final CompressionBudget compression;

    @Inject
    public SocketRuntime(WorkerPool workers, HeartbeatScheduler heartbeats, EdgesocketMetrics metrics,
            EdgesocketConfig config, Instance<Admission> admission, Instance<SessionDirectory> sessions,
            MeterRegistry registry) {
        this.workers = workers;
        // One of each is selected by edgesocket.cluster.enabled (@LookupIfProperty / @LookupUnlessProperty).
        this.admission = admission.get();
        this.sessions = sessions.get();
        this.heartbeats = heartbeats;
        this.metrics = metrics;
        this.closeTimeout = config.closeTimeout();
        long maxQueued = config.limits().maxQueuedBytes().map(m -> m.asLongValue())
                .orElse(Runtime.getRuntime().maxMemory() / 4);
        this.budget = new QueueBudget(maxQueued);
        this.compression = new CompressionBudget(config.limits().compressionRate().asLongValue(),
                config.limits().serverCompressionRate().map(m -> m.asLongValue())
                        .orElse(16L * 1024 * 1024 * Runtime.getRuntime().availableProcessors()));
        Gauge.builder("edgesocket.queued.bytes", budget, QueueBudget::total).baseUnit("bytes")
                .description("Bytes all sockets hold queued, in and out, each message with its overhead").register(registry);
        Gauge.builder("edgesocket.queued.budget", budget, QueueBudget::max).baseUnit("bytes")
                .description("edgesocket.limits.max-queued-bytes: past it upgrades get 503 and the largest holders 1013")
                .register(registry);
        FunctionCounter.builder("edgesocket.budget.closes", budget, QueueBudget::shedCount)
                .description("Sockets closed with 1013 because the server's queued bytes passed its budget").register(registry);
    }

    /** The server-wide budget of queued bytes. */
    QueueBudget budget() {
        return budget;
    }

    /** The budget for the rooms that hold queued bytes of their own (channels). */
    @Produces
    @Singleton
    QueuedBytes queuedBytesBudget() {
        return budget;
    }

    CompressionBudget compression() {
        return compression;
    }

    /** Bytes queued over all sockets, and the budget, for meters and the stats page. */
    public long queuedBytes() {
        return budget.total();
    }

    public long maxQueuedBytes() {
        return budget.max();
    }

    /** Sockets closed with 1013 for the budget, and upgrades refused for it. */
    public long budgetCloses() {
        return budget.shedCount();
    }

    public long budgetRefusals() {
        return budget.refusedCount();
    }

    EdgeWebSocket newSocket(Zone zone, ZoneSettings settings, String url, String origin, String protocol,
            Duration idleTimeout, PerMessageDeflate.Agreement deflate, String remoteAddress) {
        return new EdgeWebSocket(sessions.newSession(zone), zone, settings, url, origin, protocol, idleTimeout, deflate,
                remoteAddress, this);
    }

    public Admission admission() {
        return admission;
    }

    public SessionDirectory sessions() {
        return sessions;
    }

    Deflaters deflaters() {
        return deflaters;
    }

    @PreDestroy
    void close() {
        deflaters.close();
        budget.shutdown();
    }

    WorkerPool workers() {
        return workers;
    }

    ZoneMetrics metrics(Zone zone) {
        return metrics.forZone(zone);
    }

    HeartbeatScheduler heartbeats() {
        return heartbeats;
    }

    Duration closeTimeout() {
        return closeTimeout;
    }
}
