package dev.edgesocket.runtime;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edgesocket.heartbeat.HeartbeatScheduler;
import dev.edgesocket.metrics.EdgesocketMetrics;
import dev.edgesocket.metrics.ZoneMetrics;
import dev.edgesocket.zone.EdgesocketConfig;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneSettings;

/** What every socket shares: the worker pool, the close timeout, the id sequence and the compressors. */
@Singleton
public class SocketRuntime {

    private final WorkerPool workers;
    private final HeartbeatScheduler heartbeats;
    private final EdgesocketMetrics metrics;
    private final Duration closeTimeout;
    private final AtomicLong ids = new AtomicLong();
    // Idle compressors kept for permessage-deflate: about one per thread that may send at once.
    private final Deflaters deflaters = new Deflaters(4 * Runtime.getRuntime().availableProcessors() + 16);

    @Inject
    public SocketRuntime(WorkerPool workers, HeartbeatScheduler heartbeats, EdgesocketMetrics metrics,
            EdgesocketConfig config) {
        this.workers = workers;
        this.heartbeats = heartbeats;
        this.metrics = metrics;
        this.closeTimeout = config.closeTimeout();
    }

    EdgeWebSocket newSocket(Zone zone, ZoneSettings settings, String url, String origin, String protocol,
            Duration idleTimeout, PerMessageDeflate.Agreement deflate, String remoteAddress) {
        return new EdgeWebSocket(ids.incrementAndGet(), zone, settings, url, origin, protocol, idleTimeout, deflate,
                remoteAddress, this);
    }

    Deflaters deflaters() {
        return deflaters;
    }

    @PreDestroy
    void close() {
        deflaters.close();
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
