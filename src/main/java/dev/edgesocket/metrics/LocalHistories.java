package dev.edgesocket.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Singleton;

import io.quarkus.arc.lookup.LookupUnlessProperty;

/** Single node: there are no other servers to ask. */
@Singleton
@LookupUnlessProperty(name = "edgesocket.cluster.enabled", stringValue = "true")
public class LocalHistories implements NodeHistories {

    @Override
    public String node() {
        return null;
    }

    @Override
    public CompletionStage<Gathered> others(String zone, long since) {
        return CompletableFuture.completedFuture(new Gathered(Map.of(), List.of()));
    }
}
