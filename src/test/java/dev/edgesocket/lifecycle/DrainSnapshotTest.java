package dev.edgesocket.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.EventJournal;
import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.RawClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A socket admitted before the drain began, whose script was still working when the drain took its
 * list of open sockets, is closed with 1001 too. A profile of its own: the drain ends this application.
 */
@QuarkusTest
@TestProfile(DrainSnapshotTest.Draining.class)
class DrainSnapshotTest {

    public static class Draining implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgesocket.shutdown.drain-period", "200ms", "edgesocket.shutdown.drain-timeout", "10s",
                    "edgesocket.close-timeout", "2s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    Drain drain;

    @Inject
    EventJournal journal;

    @Test
    void aSocketThatOpensAfterTheDrainBeganIsClosedWith1001() throws Exception {
        try (RawClient client = RawClient.open(base)) {
            // respond=slow: the script sleeps 500 ms before it returns the upgrade.
            CompletableFuture<RawClient.HttpAnswer> handshake = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.request("GET", "/lab?tag=late&respond=slow", RawClient.validHandshakeHeaders(base));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            journal.next("late"); // the script runs (its early send was refused): admitted, not yet open
            CompletableFuture<Void> draining = CompletableFuture.runAsync(drain::drain);
            assertEquals(101, handshake.get(10, TimeUnit.SECONDS).status());
            Frame close = client.readUntilClose();
            assertEquals(1001, close.closeCode());
            assertEquals("Server shutting down", close.closeReason());
            client.sendClose(1001, "");
            draining.get(15, TimeUnit.SECONDS);
        }
    }
}
