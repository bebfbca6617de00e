package dev.edgesocket.metrics;

import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edgesocket.heartbeat.HeartbeatScheduler;
import dev.edgesocket.zone.ZoneRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The server's own state as meters, for alerts that health probes alone cannot raise: the heartbeat's last tick
 * (liveness fails past 3 s); the graceful drain registers its own (lifecycle.Drain). Read at scrape time.
 * Every zone's meters are registered here at start too: a counter first seen at 1 shows no increase to Prometheus'
 * {@code rate()}, so a zone's first refusal would be lost to the dashboard and the alerts.
 */
@Startup
@Singleton
public class ServerMetrics {

    @Inject
    public ServerMetrics(MeterRegistry registry, HeartbeatScheduler heartbeats,
            ZoneRegistry zones, EdgesocketMetrics zoneMetrics) {
        zones.all().forEach(zoneMetrics::forZone);
        Gauge.builder("edgesocket.heartbeat.tick.age", heartbeats,
                h -> (System.nanoTime() - h.lastTickNanos()) / (double) TimeUnit.SECONDS.toNanos(1))
                .description("Seconds since the heartbeat scheduler last ticked; liveness fails past 3").baseUnit("seconds")
                .register(registry);
    }
}
