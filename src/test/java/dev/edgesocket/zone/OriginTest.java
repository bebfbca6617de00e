package dev.edgesocket.zone;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.RawClient.HttpAnswer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Cross-site WebSocket hijacking: /origins allows https://app.example.com and https://*.example.org;
 * /browsers-only requires an Origin header. A refused upgrade gets 403 before the script runs.
 */
@QuarkusTest
class OriginTest {

    @TestHTTPResource("/")
    URI base;

    private HttpAnswer upgrade(String path, String origin) throws Exception {
        Map<String, String> headers = RawClient.validHandshakeHeaders(base);
        if (origin != null) {
            headers.put("Origin", origin);
        }
        try (RawClient client = RawClient.open(base)) {
            return client.request("GET", path, headers);
        }
    }

    @Test
    void listedOriginsAndPatternsConnectOthersGet403() throws Exception {
        assertEquals(101, upgrade("/origins", "https://app.example.com").status());
        assertEquals(101, upgrade("/origins", "HTTPS://APP.EXAMPLE.COM").status(), "origins compare case-insensitively");
        assertEquals(101, upgrade("/origins", "https://chat.example.org").status());
        assertEquals(101, upgrade("/origins", "https://a.b.example.org").status());
        HttpAnswer evil = upgrade("/origins", "https://evil.example.net");
        assertEquals(403, evil.status());
        assertEquals("The origin https://evil.example.net may not open WebSockets in zone 'origins'.\n", evil.body());
        assertEquals(403, upgrade("/origins", "https://example.org").status(), "a pattern matches subdomains, not the apex");
        assertEquals(403, upgrade("/origins", "http://app.example.com").status(), "the scheme counts");
        assertEquals(403, upgrade("/origins", "https://app.example.com.evil.net").status());
        assertEquals(101, upgrade("/origins", null).status(), "non-browser clients send no Origin and are allowed");
        assertEquals(101, upgrade("/lab", "https://anything.example").status(), "a zone without a list allows any origin");
    }

    @Test
    void aZoneThatRequiresAnOriginRefusesClientsWithoutOne() throws Exception {
        HttpAnswer refused = upgrade("/browsers-only", null);
        assertEquals(403, refused.status());
        assertEquals("Zone 'browsers-only' accepts WebSocket upgrades only from browsers that send an Origin header.\n",
                refused.body());
        assertEquals(101, upgrade("/browsers-only", "https://any.example").status());
    }

    @Test
    void theOriginSettingsAreInTheConfigApiAndCheckedThere() throws Exception {
        given().header("AccessKey", "test-key").when().get("/api/zones/origins").then().statusCode(200)
                .body("websockets.allowedOrigins[1]", equalTo("https://*.example.org"))
                .body("websockets.requireOrigin", equalTo(false));
        given().header("AccessKey", "test-key").contentType(ContentType.JSON)
                .body("{\"websockets\": {\"allowedOrigins\": [\"https://*evil*\"]}}")
                .when().patch("/api/zones/origins").then().statusCode(400)
                .body("errors.'websockets.allowedOrigins'", equalTo(
                        "'https://*evil*' may only use * as the first label of its host, such as https://*.example.com"));
        try {
            given().header("AccessKey", "test-key").contentType(ContentType.JSON)
                    .body("{\"websockets\": {\"allowedOrigins\": [\"https://other.example\"], \"requireOrigin\": true}}")
                    .when().patch("/api/zones/origins").then().statusCode(200);
            assertEquals(403, upgrade("/origins", "https://app.example.com").status(), "a change applies to new upgrades");
            assertEquals(403, upgrade("/origins", null).status());
            assertEquals(101, upgrade("/origins", "https://other.example").status());
        } finally {
            given().header("AccessKey", "test-key").contentType(ContentType.JSON)
                    .body("{\"websockets\": {\"allowedOrigins\": [\"https://app.example.com\", \"https://*.example.org\"], "
                            + "\"requireOrigin\": false}}")
                    .when().patch("/api/zones/origins").then().statusCode(200);
        }
        given().header("AccessKey", "test-key").when().get("/api/zones/origins").then()
                .body("live.refusedOrigin", org.hamcrest.Matchers.greaterThan(0));
    }
}
