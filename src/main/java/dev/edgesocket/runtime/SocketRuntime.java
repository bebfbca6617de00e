package dev.edgesocket.runtime;

import java.time.Duration;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edgesocket.heartbeat.HeartbeatScheduler;
import dev.edgesocket.metrics.EdgesocketMetrics;
import dev.edgesocket.metrics.ZoneMetrics;
import dev.edgesocket.zone.Admission;
import dev.edgesocket.zone.EdgesocketConfig;
import dev.edgesocket.zone.SessionDirectory;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneSettings;

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

    @Inject
    public SocketRuntime(WorkerPool workers, HeartbeatScheduler heartbeats, EdgesocketMetrics metrics,
            EdgesocketConfig config, Instance<Admission> admission, Instance<SessionDirectory> sessions) {
        this.workers = workers;
        // One of each is selected by edgesocket.cluster.enabled (@LookupIfProperty / @LookupUnlessProperty).
        this.admission = admission.get();
        this.sessions = sessions.get();
        this.heartbeats = heartbeats;
        this.metrics = metrics;
        this.closeTimeout = config.closeTimeout();
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
