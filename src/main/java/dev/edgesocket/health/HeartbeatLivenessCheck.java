package dev.edgesocket.health;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import dev.edgesocket.heartbeat.HeartbeatScheduler;

/**
 * Live while the heartbeat bean keeps ticking: a scheduler stuck for three of its one-second
 * intervals means sockets are no longer policed, and the pod should be restarted.
 */
@Liveness
@ApplicationScoped
public class HeartbeatLivenessCheck implements HealthCheck {

    static final long MAX_SILENCE_MILLIS = 3 * 1000;

    @Inject
    HeartbeatScheduler heartbeats;

    @Override
    public HealthCheckResponse call() {
        long sinceTick = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - heartbeats.lastTickNanos());
        return HealthCheckResponse.named("heartbeat")
                .status(sinceTick <= MAX_SILENCE_MILLIS)
                .withData("millisSinceLastTick", sinceTick)
                .withData("ticks", heartbeats.ticks())
                .withData("socketsInWheel", heartbeats.watched())
                .build();
    }
}
