package dev.edgesocket.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;

import java.net.URI;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The three probes at Quarkus' standard paths, with the data they report. */
@QuarkusTest
class HealthTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void livenessFollowsTheHeartbeatTick() {
        given().when().get("/q/health/live").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("heartbeat"))
                .body("checks.find { it.name == 'heartbeat' }.data.ticks", greaterThan(0));
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
