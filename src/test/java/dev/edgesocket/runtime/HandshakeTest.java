package dev.edgesocket.runtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.RawClient.HttpAnswer;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** What a client sees of the handshake: our checks run before Jakarta's and answer with a sentence. */
@QuarkusTest
class HandshakeTest {

    @TestHTTPResource("/")
    URI base;

    private HttpAnswer handshake(String path, Map<String, String> changes) throws Exception {
        Map<String, String> headers = RawClient.validHandshakeHeaders(base);
        changes.forEach((k, v) -> {
            if (v == null) {
                headers.remove(k);
            } else {
                headers.put(k, v);
            }
        });
        try (RawClient client = RawClient.open(base)) {
            return client.request("GET", path, headers);
        }
    }

    @Test
    void aPlainGetGets426WithASentence() {
        given().when().get("/echo").then()
                .statusCode(426)
                .header("Upgrade", "websocket")
                .contentType(containsString("text/plain"))
                .body(equalTo("This is a WebSocket endpoint: the request's Upgrade header must contain 'websocket'.\n"));
    }

    @Test
    void upgradeTokenIsCaseInsensitiveAndMayBeInAList() throws Exception {
        assertEquals(101, handshake("/echo", Map.of("Upgrade", "h2c, WebSocket", "Connection", "keep-alive, upgrade")).status());
    }

    @Test
    void the101CarriesNoContentLengthAndNoHixieLocation() throws Exception {
        HttpAnswer answer = handshake("/echo", Map.of());
        assertEquals(101, answer.status());
        // RFC 9110 §8.6: no Content-Length in a 1xx. Sec-WebSocket-Location is Hixie-76's, and it named the
        // internal path the upgrade is rerouted to.
        assertNull(answer.header("Content-Length"), "the 101's headers: " + answer.headers());
        assertNull(answer.header("Sec-WebSocket-Location"), "the 101's headers: " + answer.headers());
        assertEquals("websocket", answer.header("Upgrade").toLowerCase(java.util.Locale.ROOT));
        assertEquals("upgrade", answer.header("Connection").toLowerCase(java.util.Locale.ROOT));
        // RFC 6455 §1.3's own example key and answer.
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", answer.header("Sec-WebSocket-Accept"));
    }

    @Test
    void aMissingKeyGets400() throws Exception {
        HttpAnswer answer = handshake("/echo", mapOf("Sec-WebSocket-Key", null));
        assertEquals(400, answer.status());
        assertEquals("The request has no Sec-WebSocket-Key header.\n", answer.body());
    }

    @Test
    void aKeyThatIsNot16BytesGets400() throws Exception {
        HttpAnswer answer = handshake("/echo", Map.of("Sec-WebSocket-Key", "c2hvcnQ="));
        assertEquals(400, answer.status());
        assertEquals("The request's Sec-WebSocket-Key header must be 16 bytes in base64.\n", answer.body());
    }

    @Test
    void version8Gets426NamingVersion13() throws Exception {
        HttpAnswer answer = handshake("/echo", Map.of("Sec-WebSocket-Version", "8"));
        assertEquals(426, answer.status());
        assertEquals("13", answer.header("Sec-WebSocket-Version"));
        assertEquals("The request's Sec-WebSocket-Version is 8: this server speaks version 13.\n", answer.body());
    }

    @Test
    void aMissingConnectionUpgradeGets400() throws Exception {
        HttpAnswer answer = handshake("/echo", Map.of("Connection", "keep-alive"));
        assertEquals(400, answer.status());
        assertEquals("The request's Connection header must contain 'Upgrade'.\n", answer.body());
    }

    @Test
    void aProtocolTheClientDidNotOfferGets400() throws Exception {
        HttpAnswer answer = handshake("/lab?protocol=chat", Map.of("Sec-WebSocket-Protocol", "json, mqtt"));
        assertEquals(400, answer.status());
        assertEquals("Protocol 'chat' not in the request's protocol list.\n", answer.body());
        HttpAnswer none = handshake("/lab?protocol=chat", Map.of());
        assertEquals(400, none.status());
    }

    @Test
    void theScriptsProtocolIsReturnedInTheHandshake() throws Exception {
        HttpAnswer answer = handshake("/lab?protocol=chat", Map.of("Sec-WebSocket-Protocol", "json, chat"));
        assertEquals(101, answer.status());
        assertEquals("chat", answer.header("Sec-WebSocket-Protocol"));
        try (WsClient client = WsClient.connect(base, "/lab?protocol=chat", "json", "chat")) {
            assertEquals("chat", client.subProtocol());
            client.send("info");
            assertEquals("chat|" + "ws://" + base.getHost() + ":" + base.getPort() + "/lab?protocol=chat|OPEN|ws://"
                    + base.getHost() + ":" + base.getPort() + "||null|[]", client.nextText());
        }
    }

    @Test
    void emptyProtocolOrExtensionHeadersGet400() throws Exception {
        HttpAnswer protocol = handshake("/echo", Map.of("Sec-WebSocket-Protocol", " "));
        assertEquals(400, protocol.status());
        assertEquals("The request's Sec-WebSocket-Protocol header is empty.\n", protocol.body());
        HttpAnswer extensions = handshake("/echo", Map.of("Sec-WebSocket-Extensions", " "));
        assertEquals(400, extensions.status());
        assertEquals("The request's Sec-WebSocket-Extensions header is empty.\n", extensions.body());
    }

    @Test
    void withoutAProtocolNoneIsReturned() throws Exception {
        HttpAnswer answer = handshake("/lab", Map.of());
        assertEquals(101, answer.status());
        assertNull(answer.header("Sec-WebSocket-Protocol"));
    }

    @Test
    void aScriptsOwnResponseReachesTheClientUnchanged() {
        given().when().get("/lab?respond=401").then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"lab\"")
                .header("X-Lab", "yes")
                .body(equalTo("A token is required."));
    }

    @Test
    void aScriptThatThrowsGives500WithAGenericSentence() {
        given().when().get("/lab?respond=throw").then()
                .statusCode(500)
                .body(equalTo("The zone's script failed; the server log has the details.\n"))
                .body(not(containsString("on purpose")));
    }

    @Test
    void callingUpgradeWebSocketTwiceThrows() throws Exception {
        HttpAnswer answer = handshake("/lab?respond=twice", Map.of());
        assertEquals(409, answer.status());
        assertEquals("second call threw: upgradeWebSocket() was already called for this request.", answer.body());
    }

    @Test
    void theScriptSeesTheRequest() {
        given().urlEncodingEnabled(false).header("X-Case-Test", "v1").header("Sec-WebSocket-Protocol", "a, b").header("Sec-WebSocket-Protocol", "c")
                .when().get("/lab?respond=request&x=1&x=2&y=%20z").then()
                .statusCode(200)
                .body(containsString("GET /lab respond=request&x=1&x=2&y=%20z {respond=[request], x=[1, 2], y=[ z]} v1 [a, b, c] http://"));
    }

    @Test
    void theInternalUpgradePathIsNotReachableDirectly() throws Exception {
        given().when().get(UpgradeEndpoints.PATH).then().statusCode(404);
        assertEquals(404, handshake(UpgradeEndpoints.PATH, Map.of()).status());
    }

    @Test
    void pathsOutsideZonesAreNotOurs() throws Exception {
        assertEquals(404, handshake("/nowhere", Map.of()).status());
    }

    private static Map<String, String> mapOf(String key, String value) {
        java.util.HashMap<String, String> map = new java.util.HashMap<>();
        map.put(key, value);
        return map;
    }
}
