package dev.edgesocket.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.edgesocket.lifecycle.Drain;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;

/** Ready while zones are loaded and upgrades are accepted; down from the first moment of a drain. */
@Readiness
@ApplicationScoped
public class ZonesReadinessCheck implements HealthCheck {

    @Inject
    ZoneRegistry zones;

    @Inject
    Drain drain;

    @Override
    public HealthCheckResponse call() {
        boolean draining = drain.draining();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("zones")
                .status(!draining) // no zones is a valid, ready server (DECISIONS.md)
                .withData("draining", draining)
                .withData("zones", zones.all().size());
        for (Zone zone : zones.all()) {
            response.withData("openSockets." + zone.name(), zone.openSocketCount());
        }
        return response.build();
    }
}
