package dev.edgesocket.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A Java middleware script (testing.MiddlewareScript) in front of a real Node origin, in both dispatch modes: it
 * answers some requests itself, passes others on changed, and changes the origin's responses; WebSocket upgrades
 * pass through it too.
 */
@QuarkusTest
@QuarkusTestResource(value = NodeOriginResource.class, restrictToAnnotatedClass = true)
class MiddlewareTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    @ParameterizedTest
    @CsvSource({"mw, false", "mw-loop, true"})
    void aRequestGoesToTheOriginChangedAndItsResponseComesBackChanged(String zone, boolean onEventLoop) throws Exception {
        String body = given().header("Cookie", "secret=1").header("X-Keep", "k").get("/" + zone + "/echo?x=1").then()
                .statusCode(200).header("X-Edge", "mw").header("X-Origin", nullValue())
                .header("X-Continued-On-Event-Loop", String.valueOf(onEventLoop))
                .extract().asString();
        JsonNode seen = JSON.readTree(body);
        assertEquals("/base/" + zone + "/echo?x=1", seen.get("url").asText());
        assertEquals("u1", seen.get("headers").get("x-user").asText());
        assertEquals("k", seen.get("headers").get("x-keep").asText());
        assertFalse(seen.get("headers").has("cookie"), "the middleware removed it");
    }

    @Test
    void theMiddlewareMayAnswerItselfWithoutTheOrigin() {
        given().get("/mw/deny").then().statusCode(401).body(equalTo("denied by the middleware"));
    }

    @Test
    void aBodyStreamsToTheOriginThroughTheMiddleware() throws Exception {
        byte[] payload = new byte[3 * 1024 * 1024];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i % 253);
        }
        String body = given().body(payload).post("/mw/echo").then().statusCode(200).extract().asString();
        JsonNode seen = JSON.readTree(body);
        assertEquals("POST", seen.get("method").asText());
        assertEquals(payload.length, seen.get("length").asInt());
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(payload)),
                seen.get("sha256").asText());
    }

    @Test
    void theOriginsBodyMayBeReplacedAndARequestGoesOnce() {
        given().get("/mw/replace").then().statusCode(404).body(equalTo("replaced: 404"));
        // A second forward of one request fails the script: 500 with the server's sentence.
        dev.edgesocket.testing.UnexpectedErrors.expect("failed on GET /mw/twice");
        given().get("/mw/twice").then().statusCode(500)
                .body(equalTo("The zone's script failed; the server log has the details.\n"));
        // The origin's streamed response, long and chunked, passes through whole.
        byte[] streamed = given().get("/mw/stream?mb=8").then().statusCode(200).extract().asByteArray();
        assertEquals(8 * 1024 * 1024, streamed.length);
    }

    @ParameterizedTest
    @CsvSource({"mw", "mw-loop"})
    void aWebSocketUpgradePassesThroughTheMiddleware(String zone) throws Exception {
        try (WsClient client = WsClient.connect(base, "/" + zone + "/ws?token=1", "v1")) {
            assertEquals("v1", client.subProtocol());
            client.send("handshake");
            JsonNode seen = JSON.readTree(client.nextText());
            assertEquals("u1", seen.get("headers").get("x-user").asText(), "the header the middleware added");
            client.send("hello");
            assertEquals("hello", client.nextText());
            client.send("close:4300:bye");
            WsClient.Closed closed = client.awaitClose();
            assertEquals(4300, closed.code());
        }
        try (RawClient raw = RawClient.open(base)) {
            RawClient.HttpAnswer refused = raw.request("GET", "/" + zone + "/ws", RawClient.validHandshakeHeaders(base));
            assertEquals(401, refused.status(), "the middleware refused the upgrade");
            assertEquals("a token, please", refused.body());
        }
        try (RawClient raw = RawClient.open(base)) {
            Map<String, String> headers = RawClient.validHandshakeHeaders(base);
            RawClient.HttpAnswer refused = raw.request("GET", "/" + zone + "/refuse?token=1", headers);
            assertEquals(401, refused.status(), "the origin's own refusal, through the middleware");
            assertEquals("token", refused.header("X-Why"));
            assertTrue(refused.body().startsWith("no token"), refused.body());
        }
    }
}
