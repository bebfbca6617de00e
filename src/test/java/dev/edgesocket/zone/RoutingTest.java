package dev.edgesocket.zone;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Requests reach zones by Host and path on a running server (zones route-* in the test configuration). */
@QuarkusTest
class RoutingTest {

    @Test
    void theMostSpecificZoneAnswers() {
        given().header("Host", "a.routes.test").get("/anything").then().statusCode(200)
                .body(startsWith("route-host http://a.routes.test/anything"));
        given().header("Host", "b.routes.test:9000").get("/ws").then().statusCode(200)
                .body(startsWith("route-wild-ws "));
        given().header("Host", "b.routes.test").get("/ws2").then().statusCode(200).body(startsWith("route-wild "));
        given().header("Host", "routes.example").get("/x").then().statusCode(200).body(startsWith("route-wild "));
        given().get("/app").then().statusCode(200).body(startsWith("route-app "));
        given().get("/app/deep/x?y=1").then().statusCode(200).body(startsWith("route-deep "))
                .body(containsString("/app/deep/x?y=1"));
        given().get("/app/deep/exact").then().statusCode(200).body(startsWith("route-exact "));
        given().get("/apple").then().statusCode(404);
    }

    @Test
    void aZoneWithHostsOwnsTheServersPathsOnThem() {
        given().header("Host", "a.routes.test").get("/q/health").then().statusCode(200)
                .body(startsWith("route-host "));
        given().get("/q/health").then().statusCode(200).body(containsString("\"status\""));
    }

    @Test
    void aZoneForAnyHostLeavesTheServersPathsToTheServer() {
        // route-api claims /api/* for any host: the config API still answers there (it wants a key).
        given().get("/api/zones").then().statusCode(not(equalTo(200))).body(not(startsWith("route-api")));
        given().get("/apis").then().statusCode(404);
    }

    @Test
    void theConfigApiShowsAZonesKindAndHosts() {
        given().header("AccessKey", "test-key").get("/api/zones/route-wild").then().statusCode(200)
                .body("kind", equalTo("standalone")).body("path", equalTo("/*"))
                .body("hosts", org.hamcrest.Matchers.contains("*.routes.test", "routes.example"))
                .body("origin", org.hamcrest.Matchers.nullValue());
        given().header("AccessKey", "test-key").get("/api/zones/route-app").then().statusCode(200)
                .body("kind", equalTo("standalone")).body("$", not(org.hamcrest.Matchers.hasKey("hosts")));
    }
}
