package dev.edgesocket.js;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.Eventually;
import dev.edgesocket.testing.LogCapture;
import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.UnexpectedErrors;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** A TypeScript zone (src/test/resources/scripts/lab.ts) as a client and an operator see it. */
@QuarkusTest
class JsZoneTest {

    @TestHTTPResource("/")
    URI base;

    /** The server's log lines at WARNING and above during a test. */
    private final LogCapture logged = new LogCapture(Level.WARNING, record -> true, record -> LogCapture.message(record)
            + (record.getThrown() == null ? "" : ": " + record.getThrown().getMessage()));

    @BeforeEach
    void listen() {
        logged.install();
    }

    @AfterEach
    void stopListening() {
        logged.uninstall();
    }

    private String awaitLog(String fragment) {
        return logged.await(fragment, Eventually.DEFAULT);
    }

    @Test
    void aPlainGetGets426AsInJavaZones() {
        given().when().get("/js-lab").then().statusCode(426).header("Upgrade", "websocket");
    }

    @Test
    void aHandshakeWithoutKeyGets400() throws Exception {
        Map<String, String> headers = RawClient.validHandshakeHeaders(base);
        headers.remove("Sec-WebSocket-Key");
        try (RawClient client = RawClient.open(base)) {
            RawClient.HttpAnswer answer = client.request("GET", "/js-lab", headers);
            assertEquals(400, answer.status());
            assertEquals("The request has no Sec-WebSocket-Key header.\n", answer.body());
        }
    }

    @Test
    void theScriptCanRefuseWith401AndItsOwnHeaders() {
        given().when().get("/js-lab?mode=refuse").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body(equalTo("A token is required."));
    }

    @Test
    void aHandlerExceptionGives500AndItsStackGoesToTheLogWithTheScriptLine() throws Exception {
        UnexpectedErrors.expect("The script of zone 'js-lab' failed");
        given().when().get("/js-lab?mode=fail").then().statusCode(500)
                .body(equalTo("The zone's script failed; the server log has the details.\n"));
        // lab.ts line 13: throw new Error("the handler broke on purpose")
        assertTrue(awaitLog("the handler broke on purpose").contains("scripts/lab.ts:13"), logged.lines().toString());
    }

    @Test
    void aResponseThatSettlesAfterATimerIsAnswered() {
        long start = System.nanoTime();
        given().when().get("/js-lab?mode=late&delay=150").then().statusCode(200).body(equalTo("late"));
        assertTrue(System.nanoTime() - start >= 150_000_000L, "answered after the script's timer");
    }

    @Test
    void anUpgradeAfterAnAwaitedTimerOpensTheSocket() {
        try (WsClient client = WsClient.connect(base, "/js-lab?delay=100&protocol=v1.chat", "v1.chat")) {
            assertEquals("v1.chat", client.subProtocol());
            client.send("hello");
            client.expectText("unknown: hello");
        }
    }

    @Test
    void aResponseThatNeverComesGets503AtTheDeadlineAndGivesItsPlaceBack() throws Exception {
        UnexpectedErrors.expect("did not answer");
        try (RawClient client = RawClient.open(base)) {
            long start = System.nanoTime();
            // js-one takes one socket; this upgrade holds its place while the script never answers.
            RawClient.HttpAnswer answer = client.request("GET", "/js-one?mode=never",
                    RawClient.validHandshakeHeaders(base));
            assertEquals(503, answer.status());
            assertEquals("The zone's script did not answer in time; try again.\n", answer.body());
            assertTrue(System.nanoTime() - start >= 1_900_000_000L, "at edgesocket.max-response-time (2s)");
        }
        assertTrue(awaitLog("did not answer").contains("zone 'js-one'"), logged.lines().toString());
        try (WsClient client = WsClient.connect(base, "/js-one")) { // the place went back
            client.send("hello");
            client.expectText("unknown: hello");
        }
    }

    @Test
    void aClientThatLeavesBeforeALateUpgradeLeavesNoSocketBehind() throws Exception {
        try (RawClient client = RawClient.open(base)) {
            StringBuilder head = new StringBuilder("GET /js-one?delay=300 HTTP/1.1\r\n");
            RawClient.validHandshakeHeaders(base).forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            client.sendRaw(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            Thread.sleep(50); // the script is waiting for its timer
        }
        Thread.sleep(600); // the timer fired, the script upgraded and returned: nobody is there
        try (WsClient client = WsClient.connect(base, "/js-one")) { // js-one takes one socket: the place went back
            client.send("hello");
            client.expectText("unknown: hello");
        }
    }

    @Test
    void theProtocolMustBeOneTheClientOffered() {
        try (WsClient client = WsClient.connect(base, "/js-lab?protocol=v1.chat", "v2.chat", "v1.chat")) {
            assertEquals("v1.chat", client.subProtocol());
        }
        Map<String, String> headers = RawClient.validHandshakeHeaders(base);
        headers.put("Sec-WebSocket-Protocol", "v2.chat");
        try (RawClient client = RawClient.open(base)) {
            assertEquals(400, client.request("GET", "/js-lab?protocol=v1.chat", headers).status());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void closeCodesAndReasonsReachTheClientAndInvalidOnesThrowInTheScript() {
        try (WsClient client = WsClient.connect(base, "/js-lab")) {
            client.send("close 1005");
            client.expectText("refused: InvalidAccessError");
            client.send("close 4001 " + "r".repeat(124));
            client.expectText("refused: SyntaxError");
            client.send("close 4001 going away");
            assertEquals(new WsClient.Closed(4001, "going away"), client.awaitClose());
        }
    }

    @Test
    void aOnceListenerRunsOnce() {
        try (WsClient client = WsClient.connect(base, "/js-lab")) {
            client.send("hello");
            client.expectText("unknown: hello");
            client.send("once");
            client.expectText("once ran 1 time(s)");
        }
    }

    @Test
    void asyncListenersTimersAndMicrotasksRunInWebOrder() {
        try (WsClient client = WsClient.connect(base, "/js-lab")) {
            client.send("later 50 after a timer");
            client.send("order");
            client.expectText("sync,microtask,promise,timeout");
            client.expectText("later: after a timer");
            client.send("ticks");
            client.expectText("tick 1");
            client.expectText("tick 2");
            client.expectText("tick 3");
            client.expectNothingFor(100);
        }
    }

    @Test
    void theWebApisHaveTheirWebShapes() {
        try (WsClient client = WsClient.connect(base, "/js-lab")) {
            client.send("web");
            assertEquals("{\"bytes\":6,\"back\":\"héllo\",\"href\":\"https://example.com:8443/path/x?a=1&b=two%20words#h\","
                    + "\"host\":\"example.com:8443\",\"b\":\"two words\",\"blob\":\"abc\",\"blobSize\":3,\"uuid\":true,"
                    + "\"readyState\":1,\"open\":true,\"protocol\":\"\",\"url\":true,\"binaryType\":\"arraybuffer\","
                    + "\"headers\":\"13\",\"method\":\"GET\"}", client.nextText());
            client.send("blob ab");
            assertArrayEquals("ab".getBytes(StandardCharsets.UTF_8), client.nextBinary());
            client.send("view xyz");
            assertArrayEquals("yz".getBytes(StandardCharsets.UTF_8), client.nextBinary());
            byte[] every = new byte[256];
            for (int i = 0; i < every.length; i++) {
                every[i] = (byte) i;
            }
            client.send(every);
            assertArrayEquals(every, client.nextBinary());
            client.send("waitUntil");
            client.expectText("waiting");
        }
    }

    @Test
    void scriptsReachNoJavaNoFilesNoPolyglot() {
        try (WsClient client = WsClient.connect(base, "/js-lab")) {
            client.send("java");
            client.expectText("undefined undefined undefined undefined");
        }
    }

    @Test
    void aListenerExceptionIsLoggedAndTheSocketStaysOpen() throws Exception {
        UnexpectedErrors.expect("a listener broke on purpose");
        try (WsClient client = WsClient.connect(base, "/js-lab")) {
            client.send("throw");
            client.send("hello");
            client.expectText("unknown: hello");
        }
        assertTrue(awaitLog("a listener broke on purpose").contains("scripts/lab.ts:"), logged.lines().toString());
    }

    @Test
    void aRunawayListenerIsStoppedItsSocketClosedWith1011AndTheLoopGoesOn() throws Exception {
        UnexpectedErrors.expect("ran longer than");
        try (WsClient client = WsClient.connect(base, "/js-lab")) {
            long start = System.nanoTime();
            client.send("spin");
            WsClient.Closed closed = client.awaitClose();
            assertEquals(1011, closed.code());
            assertTrue(System.nanoTime() - start < 4_000_000_000L, "stopped within a few seconds");
        }
        // The log names the zone, the script, the line of the endless loop (lab.ts:27) and the socket.
        String line = awaitLog("ran longer than");
        assertTrue(line.contains("Zone 'js-lab'") && line.contains("scripts/lab.ts:27") && line.contains("1011"), line);
        for (int i = 0; i < 4; i++) { // every event loop's context still answers
            try (WsClient client = WsClient.connect(base, "/js-lab")) {
                client.send("after");
                client.expectText("unknown: after");
            }
        }
    }

    @Test
    void zoneLimitsApply() {
        try (WsClient client = WsClient.connect(base, "/js-small")) {
            client.send("x".repeat(1025));
            assertEquals(new WsClient.Closed(1009, "Message is too large"), client.awaitClose());
        }
        try (WsClient client = WsClient.connect(base, "/js-small")) {
            long start = System.nanoTime();
            WsClient.Closed closed = client.awaitClose(); // max-idle=1s
            assertTrue(System.nanoTime() - start > 500_000_000L, "closed for idleness, not at once: " + closed);
        }
    }

    @Test
    void anUnmaskedFrameCloses1002() throws Exception {
        try (RawClient client = RawClient.handshake(base, "/js-lab")) {
            client.sendFrame(true, 0, RawClient.TEXT, "hi".getBytes(), false);
            assertEquals(1002, client.readUntilClose().closeCode());
        }
    }

    @Test
    void theTypeScriptCompilersFilesAreNotServed() {
        given().when().get("/_static/typescript/" + TypeScriptCompiler.VERSION + "/lib/typescript.js").then().statusCode(404);
        given().when().get("/_static/typescript/" + TypeScriptCompiler.VERSION + "/package.json").then().statusCode(404);
    }
}
