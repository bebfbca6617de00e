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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * JavaScript middleware scripts in front of a real Node origin: {@code servePullZone(...).onOriginRequest(...)}
 * (scripts/pullzone.ts, zone js-mw) and {@code Bunny.v1.registerMiddlewares} (scripts/middlewares-v1.ts, zone
 * js-mw-v1).
 */
@QuarkusTest
@QuarkusTestResource(value = NodeOriginResource.class, restrictToAnnotatedClass = true)
class JsMiddlewareTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    @Test
    void theRequestMiddlewaresChangeWhatTheOriginSeesAndTheResponseMiddlewaresWhatTheClientGets() throws Exception {
        String body = given().header("Cookie", "secret=1").header("X-Keep", "k").get("/js-mw/echo?x=1").then()
                .statusCode(200).header("X-Edge", "js").header("X-Origin", nullValue())
                .header("Content-Type", "application/json").extract().asString();
        JsonNode seen = JSON.readTree(body);
        assertEquals("GET", seen.get("method").asText());
        assertEquals("/base/js-mw/echo?x=1", seen.get("url").asText());
        assertEquals("js", seen.get("headers").get("x-user").asText(), "the header the first middleware added");
        assertEquals("saw js", seen.get("headers").get("x-second").asText(), "the second saw the first's request");
        assertEquals("k", seen.get("headers").get("x-keep").asText());
        assertFalse(seen.get("headers").has("cookie"), "the middleware removed it");
    }

    @Test
    void aRequestMiddlewareMayAnswerItselfWithoutTheOrigin() {
        given().get("/js-mw/deny").then().statusCode(401).header("X-Edge", nullValue())
                .body(equalTo("denied by the JS middleware"));
    }

    @Test
    void aResponseMiddlewareMayReplaceTheResponseOrChangeItsStatusAndTheBodyStreamsThrough() {
        given().get("/js-mw/replace").then().statusCode(404).body(equalTo("replaced: 404"));
        given().get("/js-mw/status?code=500").then().statusCode(299).header("X-Edge", "js")
                .body(equalTo("the origin says 500"));
        byte[] streamed = given().get("/js-mw/stream?mb=4").then().statusCode(200).header("X-Edge", "js")
                .extract().asByteArray();
        assertEquals(4 * 1024 * 1024, streamed.length);
    }

    @Test
    void theOriginsBodyCannotBeReadYetAndSaysSo() {
        given().get("/js-mw/read").then().statusCode(418)
                .body(equalTo("TypeError: The body of the origin's response streams to the client and cannot be read "
                        + "by the script yet: change its status and headers, or answer with a new Response."));
    }

    @Test
    void aWebSocketUpgradePassesThroughTheMiddlewares() throws Exception {
        try (WsClient client = WsClient.connect(base, "/js-mw/ws?token=1", "v1")) {
            assertEquals("v1", client.subProtocol());
            client.send("handshake");
            JsonNode seen = JSON.readTree(client.nextText());
            assertEquals("js", seen.get("headers").get("x-user").asText(), "the header the middleware added");
            client.send("hello");
            assertEquals("hello", client.nextText());
            client.send("close:4300:bye");
            assertEquals(4300, client.awaitClose().code());
        }
        try (RawClient raw = RawClient.open(base)) {
            RawClient.HttpAnswer refused = raw.request("GET", "/js-mw/ws", RawClient.validHandshakeHeaders(base));
            assertEquals(401, refused.status(), "the middleware refused the upgrade");
            assertEquals("a token, please", refused.body());
        }
        try (RawClient raw = RawClient.open(base)) {
            Map<String, String> headers = RawClient.validHandshakeHeaders(base);
            RawClient.HttpAnswer refused = raw.request("GET", "/js-mw/refuse?token=1", headers);
            assertEquals(401, refused.status(), "the origin's own refusal, through the middlewares");
            assertEquals("token", refused.header("X-Why"));
            assertEquals("js", refused.header("X-Edge"));
            assertTrue(refused.body().startsWith("no token"), refused.body());
        }
    }

    @Test
    void whatCannotGoToTheOriginFailsTheRequestClearly() {
        // A changed method is not forwarded as it was asked: the middleware's request fails (TypeError), 500.
        dev.edgesocket.testing.UnexpectedErrors.expect("the client's method (GET), not PUT: a middleware may change its headers only");
        given().get("/js-mw/method").then().statusCode(500)
                .body(equalTo("The zone's script failed; the server log has the details.\n"));
        // servePullZone in a zone without origin.url: its url option is not used, so there is nowhere to go.
        dev.edgesocket.testing.UnexpectedErrors.expect("Zone 'js-mw-none' has no origin to forward to");
        given().get("/js-mw-none/echo").then().statusCode(500)
                .body(equalTo("The zone's script failed; the server log has the details.\n"));
    }

    @Test
    void middlewaresRegisteredTheWayTheSdkDoesOnBunnyWorkToo() throws Exception {
        String body = given().get("/js-mw-v1/echo").then().statusCode(200).header("X-Edge", "v1").extract().asString();
        assertEquals("v1", JSON.readTree(body).get("headers").get("x-user").asText());
    }
}
