package dev.edgesocket.metrics;

import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edgesocket.heartbeat.HeartbeatScheduler;
import dev.edgesocket.runtime.Drain;
import dev.edgesocket.zone.EdgesocketConfig;
import dev.edgesocket.zone.ZoneRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The server's own state as meters, for alerts that health probes alone cannot raise: the heartbeat's last tick
 * (liveness fails past 3 s) and the graceful drain (how long it has run, against its timeout). Read at scrape time.
 * Every zone's meters are registered here at start too: a counter first seen at 1 shows no increase to Prometheus'
 * {@code rate()}, so a zone's first refusal would be lost to the dashboard and the alerts.
 */
@Startup
@Singleton
public class ServerMetrics {

    @Inject
    public ServerMetrics(MeterRegistry registry, HeartbeatScheduler heartbeats, Drain drain, EdgesocketConfig config,
            ZoneRegistry zones, EdgesocketMetrics zoneMetrics) {
        zones.all().forEach(zoneMetrics::forZone);
        Gauge.builder("edgesocket.heartbeat.tick.age", heartbeats,
                h -> (System.nanoTime() - h.lastTickNanos()) / (double) TimeUnit.SECONDS.toNanos(1))
                .description("Seconds since the heartbeat scheduler last ticked; liveness fails past 3").baseUnit("seconds")
                .register(registry);
        Gauge.builder("edgesocket.draining", drain, d -> d.draining() ? 1 : 0)
                .description("1 from the start of the graceful drain (SIGTERM) until the process exits").register(registry);
        Gauge.builder("edgesocket.drain.elapsed", drain, d -> d.drainingForNanos() / (double) TimeUnit.SECONDS.toNanos(1))
                .description("Seconds the graceful drain has been running, 0 before it").baseUnit("seconds").register(registry);
        Gauge.builder("edgesocket.drain.timeout", config, c -> c.shutdown().drainTimeout().toMillis() / 1000.0)
                .description("edgesocket.shutdown.drain-timeout: the drain should end, and the process exit, within it")
                .baseUnit("seconds").register(registry);
    }
}
