package dev.edgesocket.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

import dev.edgesocket.zone.ZoneRegistry;

/** Started once the zones are loaded (a bad zone stops the process before this can answer). */
@Startup
@ApplicationScoped
public class StartedCheck implements HealthCheck {

    @Inject
    ZoneRegistry zones;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("started").status(!zones.all().isEmpty()).withData("zones", zones.all().size()).build();
    }
}
