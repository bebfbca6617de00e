package dev.edgesocket.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edgesocket.zone.Zone;
import io.micrometer.core.instrument.MeterRegistry;

/** The meters of every zone, served in Prometheus format at {@code /q/metrics}. */
@Singleton
public class EdgesocketMetrics {

    private final MeterRegistry registry;
    private final Map<String, ZoneMetrics> zones = new ConcurrentHashMap<>();

    @Inject
    public EdgesocketMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public ZoneMetrics forZone(Zone zone) {
        return zones.computeIfAbsent(zone.name(), name -> new ZoneMetrics(registry, zone));
    }
}
