package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edgesocket.testing.Eventually;
import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.WsClient;

/**
 * Pull Zones over WebSocket: the packaged server between real clients and a real Node {@code ws} origin, message by
 * message. What the origin sees of each close is read from its own output.
 */
class OriginWebSocketIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static NodeOrigin origin;
    private static PackagedServer server;
    private static URI base;
    private static int closedPort;

    @BeforeAll
    static void start() throws Exception {
        origin = NodeOrigin.start();
        closedPort = PackagedServer.freePort();
        server = PackagedServer.start(Path.of("target/origin-ws-it.log"), "-Xmx256m",
                "edgesocket.admin.api-key=it-key",
                "edgesocket.zones.ws.path=/ws/*", "edgesocket.zones.ws.origin.url=" + origin.url("/base"),
                "edgesocket.zones.ws.websockets.max-message-size=64K",
                "edgesocket.zones.ws.websockets.max-buffered-amount=256K",
                "edgesocket.zones.ws.websockets.idle-timeout=1s",
                "edgesocket.zones.ws.origin.response-timeout=1s",
                // A slow client's zone: a pong deadline (and stall timeout) long enough for a client that pauses.
                "edgesocket.zones.slow.path=/slow/*", "edgesocket.zones.slow.origin.url=" + origin.url("/base"),
                "edgesocket.zones.slow.websockets.max-buffered-amount=256K",
                "edgesocket.zones.down.path=/down/*", "edgesocket.zones.down.origin.url=http://127.0.0.1:" + closedPort)
                .awaitUp();
        base = server.uri("");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.closeExpectingNoErrors(); // origins that fail are the origin's news, not an ERROR of the server
        }
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void messagesPassBothWaysInOrder() throws Exception {
        try (WsClient client = WsClient.connect(base, "/ws/echo")) {
            for (int i = 0; i < 500; i++) {
                client.send("t" + i);
                client.send(new byte[] {(byte) i, 1, 2});
            }
            for (int i = 0; i < 500; i++) {
                assertEquals("t" + i, client.nextText());
                assertArrayEquals(new byte[] {(byte) i, 1, 2}, client.nextBinary());
            }
        }
    }

    @Test
    void theHandshakeCarriesPathQueryHeadersAndTheOriginsSubprotocol() throws Exception {
        try (WsClient client = WsClient.connect(base, "/ws/room/7?token=abc", "v1", "v2")) {
            assertEquals("v2", client.subProtocol(), "the origin's choice reaches the client");
            client.send("handshake");
            JsonNode seen = JSON.readTree(client.nextText());
            assertEquals("/base/ws/room/7?token=abc", seen.get("url").asText());
            assertEquals("v2", seen.get("protocol").asText());
            JsonNode headers = seen.get("headers");
            assertEquals("127.0.0.1", headers.get("x-forwarded-for").asText());
            assertEquals("http", headers.get("x-forwarded-proto").asText());
            assertTrue(headers.get("via").asText().contains("edgesocket"), headers.toString());
        }
        try (WsClient client = WsClient.connect(base, "/ws/plain")) {
            assertEquals(null, emptyToNull(client.subProtocol()), "no offer, no subprotocol");
        }
    }

    @Test
    void theOriginsRefusalReachesTheClientUnchanged() throws Exception {
        try (RawClient raw = RawClient.open(base)) {
            RawClient.HttpAnswer answer = raw.request("GET", "/ws/refuse", RawClient.validHandshakeHeaders(base));
            assertEquals(401, answer.status());
            assertEquals("token", answer.header("X-Why"));
            assertEquals("no token, no", answer.body());
        }
    }

    @Test
    void anOriginThatCannotBeReachedGets502AndOneThatHangs504() throws Exception {
        try (RawClient raw = RawClient.open(base)) {
            RawClient.HttpAnswer answer = raw.request("GET", "/down/x", RawClient.validHandshakeHeaders(base));
            assertEquals(502, answer.status());
            assertEquals("The origin http://127.0.0.1:" + closedPort + " refused the connection.\n", answer.body());
        }
        try (RawClient raw = RawClient.open(base)) {
            RawClient.HttpAnswer answer = raw.request("GET", "/ws/hang", RawClient.validHandshakeHeaders(base));
            assertEquals(504, answer.status(), answer.body());
            assertTrue(answer.body().contains("did not answer the WebSocket handshake within 1000 ms"), answer.body());
        }
    }

    @Test
    void closesPassBothWaysWithTheirCodes() throws Exception {
        try (WsClient client = WsClient.connect(base, "/ws/a")) {
            client.send("close:4200:done");
            WsClient.Closed closed = client.awaitClose();
            assertEquals(4200, closed.code());
            assertEquals("done", closed.reason());
        }
        try (WsClient client = WsClient.connect(base, "/ws/b")) {
            client.send("x");
            client.nextText();
            client.close(4100, "client bye");
            client.awaitClose();
            Eventually.until("the origin to see the client's close", Duration.ofSeconds(10),
                    () -> origin.output().contains("closed 4100 client bye"));
        }
    }

    @Test
    void anOriginThatDropsOrBreaksTheProtocolGivesTheClient1014() throws Exception {
        try (WsClient client = WsClient.connect(base, "/ws/drop")) {
            client.send("drop");
            WsClient.Closed closed = client.awaitClose();
            assertEquals(1014, closed.code());
            assertEquals("The origin closed the connection without a close frame.", closed.reason());
        }
        try (WsClient client = WsClient.connect(base, "/ws/garbage")) {
            client.send("garbage");
            assertEquals(1014, client.awaitClose().code());
        }
    }

    @Test
    void aMessageFromTheOriginPastTheZonesBoundGivesTheOrigin1009AndTheClient1014() throws Exception {
        try (WsClient client = WsClient.connect(base, "/ws/big")) {
            client.send("big:1000");
            assertEquals(1000, client.nextText().length());
            client.send("big:" + 200_000);
            WsClient.Closed closed = client.awaitClose();
            assertEquals(1014, closed.code());
            assertEquals("The origin sent a message larger than the zone's max-message-size.", closed.reason());
            Eventually.until("the origin to get 1009", Duration.ofSeconds(10), () -> origin.output().contains("closed 1009"));
        }
    }

    @Test
    void anOriginThatStopsAnsweringPingsGivesTheClient1014() throws Exception {
        try (WsClient client = WsClient.connect(base, "/ws/deaf")) {
            client.send("deaf:8000");
            WsClient.Closed closed = client.awaitClose();
            assertEquals(1014, closed.code());
            assertEquals("The origin stopped answering pings.", closed.reason());
        }
    }

    @Test
    void aSlowClientPausesTheOriginInsteadOfFillingTheQueue() throws Exception {
        // 100,000 messages (~1 MiB of payload, more with overhead) against a 256 KiB max-buffered-amount: without
        // back-pressure the socket would be closed with 1008; with it the origin waits, and everything arrives in order.
        try (RawClient raw = RawClient.openSmallWindow(base, 4096)) {
            assertEquals(101, raw.upgrade(base, "/slow/client", RawClient.validHandshakeHeaders(base)).status());
            raw.sendText("flood:100000");
            Thread.sleep(2000); // the client reads nothing meanwhile
            raw.setReadTimeout(20_000);
            for (int i = 0; i < 100_000; i++) {
                RawClient.Frame frame = raw.readFrame();
                if (frame.opcode() == RawClient.PING) {
                    raw.sendFrame(true, 0, RawClient.PONG, frame.payload(), true);
                    i--;
                    continue;
                }
                assertEquals(RawClient.TEXT, frame.opcode(), () -> "a close instead: " + frame.closeCode() + " " + frame.closeReason());
                assertEquals("m" + i, frame.text());
            }
        }
    }

    @Test
    void aKickClosesTheClientWithItsCodeAndTheOriginWith1001() throws Exception {
        try (WsClient client = WsClient.connect(base, "/ws/kicked")) {
            client.send("x");
            client.nextText();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            String sessions = http.send(java.net.http.HttpRequest.newBuilder(server.uri("/api/zones/ws/sessions"))
                    .header("AccessKey", "it-key").build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            String id = JSON.readTree(sessions).get("sessions").get(0).get("id").asText();
            int status = http.send(java.net.http.HttpRequest.newBuilder(server.uri("/api/zones/ws/sessions/" + id + "?code=4001&reason=kicked"))
                    .header("AccessKey", "it-key").DELETE().build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                    .statusCode();
            assertTrue(status < 300, "kick: " + status);
            assertEquals(4001, client.awaitClose().code());
            Eventually.until("the origin to get 1001", Duration.ofSeconds(10), () -> origin.output().contains("closed 1001"));
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
