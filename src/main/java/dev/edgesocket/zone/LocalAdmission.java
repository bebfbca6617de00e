package dev.edgesocket.zone;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Singleton;

import io.quarkus.arc.lookup.LookupUnlessProperty;

/** Single node: the zone's own counter is the limit, decided at once. */
@Singleton
@LookupUnlessProperty(name = "edgesocket.cluster.enabled", stringValue = "true")
public class LocalAdmission implements Admission {

    private static final CompletableFuture<Boolean> ADMITTED = CompletableFuture.completedFuture(true);
    private static final CompletableFuture<Boolean> REFUSED = CompletableFuture.completedFuture(false);

    @Override
    public CompletionStage<Boolean> tryAdmit(Zone zone) {
        return zone.tryTakePlace(zone.settings().maxConnections()) ? ADMITTED : REFUSED;
    }

    @Override
    public void release(Zone zone) {
        zone.releasePlace();
    }
}
