package dev.edgesocket.zone;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Singleton;

import io.quarkus.arc.lookup.LookupUnlessProperty;

/** Single node: the zone's own counter is the limit, decided at once. */
@Singleton
@LookupUnlessProperty(name = "edgesocket.cluster.enabled", stringValue = "true")
public class LocalAdmission implements Admission {

    private static final CompletableFuture<Place> REFUSED = CompletableFuture.completedFuture(Place.none());

    @Override
    public CompletionStage<Place> tryAdmit(Zone zone) {
        if (!zone.tryTakePlace(zone.settings().maxConnections())) {
            return REFUSED;
        }
        return CompletableFuture.completedFuture(Place.held(zone::releasePlace));
    }
}
