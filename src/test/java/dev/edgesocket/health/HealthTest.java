package dev.edgesocket.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.Eventually;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The three probes at Quarkus' standard paths, with the data they report. */
@QuarkusTest
class HealthTest {

    @TestHTTPResource("/")
    URI base;

    @jakarta.inject.Inject
    io.quarkus.scheduler.Scheduler scheduler;

    @Test
    void livenessFollowsTheHeartbeatTick() {
        given().when().get("/q/health/live").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("heartbeat"))
                .body("checks.find { it.name == 'heartbeat' }.data.ticks", greaterThan(0));
    }

    @Test
    void livenessGoesDownWhenTheHeartbeatStopsTicking() throws Exception {
        scheduler.pause("edgesocket-heartbeat");
        try {
            Thread.sleep(4200); // more than three 1 s intervals without a tick
            given().when().get("/q/health/live").then().statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'heartbeat' }.data.millisSinceLastTick", greaterThan(3000));
        } finally {
            scheduler.resume("edgesocket-heartbeat");
        }
        int status = Eventually.last(Eventually.DEFAULT, Duration.ofMillis(100),
                () -> given().when().get("/q/health/live").statusCode(), s -> s == 200);
        org.junit.jupiter.api.Assertions.assertEquals(200, status, "live again once the tick resumes");
    }

    /** A single node (cluster mode off, the default) has no Redis: no cluster check, no Redis check. */
    @Test
    void aSingleNodeHasNoClusterOrRedisCheck() {
        given().when().get("/q/health").then().statusCode(200)
                .body("checks.name", org.hamcrest.Matchers.not(hasItem("cluster")))
                .body("checks.name", org.hamcrest.Matchers.everyItem(
                        org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsStringIgnoringCase("redis"))));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("edgesocket_cluster_link")));
    }

    @Test
    void readinessReportsOpenSocketsPerZoneAndTheDrainFlag() {
        try (WsClient client = WsClient.connect(base, "/echo")) {
            client.send("x");
            client.expectText("Echo: x");
            given().when().get("/q/health/ready").then().statusCode(200)
                    .body("status", equalTo("UP"))
                    .body("checks.find { it.name == 'zones' }.data.draining", equalTo(false))
                    .body("checks.find { it.name == 'zones' }.data.'openSockets.echo'", greaterThan(0));
        }
    }

    @Test
    void startedOnceZonesAreLoaded() {
        given().when().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }
}
