package dev.edgesocket.zone;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.EventJournal;
import dev.edgesocket.testing.Eventually;
import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.RawClient.HttpAnswer;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Zone settings as a client meets them: subprotocols, the toggle, the connection limit, size limits. */
@QuarkusTest
class ZoneLimitsTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    EventJournal journal;

    @Inject
    ZoneRegistry zones;

    private HttpAnswer handshake(String path, Map<String, String> extra) throws Exception {
        Map<String, String> headers = RawClient.validHandshakeHeaders(base);
        headers.putAll(extra);
        try (RawClient client = RawClient.open(base)) {
            return client.request("GET", path, headers);
        }
    }

    private static void patch(String zone, String body) {
        given().header("AccessKey", "test-key").contentType(ContentType.JSON).body(body)
                .when().patch("/api/zones/" + zone).then().statusCode(200);
    }

    @Test
    void theServersPreferenceWinsAmongOfferedProtocols() {
        try (WsClient client = WsClient.connect(base, "/proto", "v1.chat", "v2.chat")) {
            assertEquals("v2.chat", client.subProtocol());
        }
        try (WsClient client = WsClient.connect(base, "/proto", "mqtt", "v1.chat")) {
            assertEquals("v1.chat", client.subProtocol());
        }
    }

    @Test
    void aClientOfferingNoProtocolIsAcceptedWithoutOne() {
        try (WsClient client = WsClient.connect(base, "/proto")) {
            assertEquals("", client.subProtocol());
            client.send("x");
            client.expectText("Echo: x");
        }
    }

    @Test
    void aClientOfferingOnlyUnsupportedProtocolsGets400NamingTheSupportedOnes() throws Exception {
        HttpAnswer answer = handshake("/proto", Map.of("Sec-WebSocket-Protocol", "mqtt, stomp"));
        assertEquals(400, answer.status());
        assertEquals("None of the offered subprotocols (mqtt, stomp) is supported by zone 'proto', which supports: "
                + "v2.chat, v1.chat.\n", answer.body());
    }

    @Test
    void anExplicitProtocolMustStillBeOffered() throws Exception {
        assertEquals(400, handshake("/proto?protocol=v3.chat", Map.of("Sec-WebSocket-Protocol", "v2.chat")).status());
        try (WsClient client = WsClient.connect(base, "/proto?protocol=v1.chat", "v2.chat", "v1.chat")) {
            assertEquals("v1.chat", client.subProtocol(), "the script's choice beats the zone's preference");
        }
    }

    @Test
    void aDisabledZoneRefusesUpgradesWith403ButStillServesHttp() throws Exception {
        patch("gate", "{\"websockets\": {\"enabled\": false}}");
        try {
            HttpAnswer refused = handshake("/gate", Map.of());
            assertEquals(403, refused.status());
            assertEquals("WebSockets are disabled for zone 'gate'.\n", refused.body());
            given().when().get("/gate?respond=401").then().statusCode(401);
        } finally {
            patch("gate", "{\"websockets\": {\"enabled\": true}}");
        }
        assertEquals(101, handshake("/gate", Map.of()).status());
    }

    @Test
    void disablingWithCloseExistingClosesOpenSocketsWith1001() throws Exception {
        try (WsClient client = WsClient.connect(base, "/gate")) {
            given().header("AccessKey", "test-key").contentType(ContentType.JSON)
                    .body("{\"websockets\": {\"enabled\": false}}")
                    .when().patch("/api/zones/gate?closeExisting=true").then().statusCode(200);
            try {
                WsClient.Closed closed = client.awaitClose();
                assertEquals(1001, closed.code());
            } finally {
                patch("gate", "{\"websockets\": {\"enabled\": true}}");
            }
        }
    }

    @Test
    void theConnectionBeyondTheLimitGets503UntilOneCloses() throws Exception {
        try (WsClient first = WsClient.connect(base, "/limit"); WsClient second = WsClient.connect(base, "/limit")) {
            HttpAnswer refused = handshake("/limit", Map.of());
            assertEquals(503, refused.status());
            assertEquals("5", refused.header("Retry-After"));
            assertEquals("Zone 'limit' has reached its limit of 2 connections; try again shortly.\n", refused.body());
            first.close(1000, "");
            first.awaitClose();
            awaitOpenSockets("limit", 1);
            try (WsClient third = WsClient.connect(base, "/limit")) {
                third.send("in");
                third.expectText("Echo: in");
            }
        }
        awaitOpenSockets("limit", 0);
    }

    @Test
    void refusedAndPlainRequestsDoNotTakePlaces() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(400, handshake("/limit", Map.of("Sec-WebSocket-Key", "bad")).status());
            given().when().get("/limit?respond=401").then().statusCode(401);
        }
        try (WsClient first = WsClient.connect(base, "/limit"); WsClient second = WsClient.connect(base, "/limit")) {
            second.send("ok");
            second.expectText("Echo: ok");
        }
    }

    private void awaitOpenSockets(String zone, int expected) throws InterruptedException {
        Zone z = zones.named(zone).orElseThrow();
        Eventually.last(Eventually.DEFAULT, Duration.ofMillis(20), z::openSocketCount, n -> n == expected);
        assertEquals(expected, z.openSocketCount());
    }

    @Test
    void aMessageOverMaxMessageSizeCloses1009() {
        try (WsClient client = WsClient.connect(base, "/small")) {
            client.send("x".repeat(1024));
            client.expectText("Echo: " + "x".repeat(1024));
            client.send("x".repeat(1025));
            assertEquals(new WsClient.Closed(1009, "Message is too large"), client.awaitClose());
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedWith1008AndTheServerQueuesNoMoreThanTheBound() throws Exception {
        long limit = 256 * 1024; // /small's max-buffered-amount
        try (RawClient reader = RawClient.handshake(base, "/small?tag=slow")) {
            journal.next("slow"); // early send
            journal.next("slow"); // open
            reader.sendText("flood"); // and never read again
            String flood = journal.next("slow");
            assertTrue(flood.startsWith("flood stopped after "), flood);
            String[] words = flood.split(" ");
            long sent = Long.parseLong(words[3]);
            assertTrue(journal.next("slow").startsWith("error bufferedAmount passed the zone's max-buffered-amount"));
            assertEquals("close 1008 Send buffer full: the client is not reading false CLOSED", journal.next("slow"));
            // What the script got rid of went into the kernel's socket buffers (both ends, on loopback) or waited
            // in the server's queue, which never held more than the bound: the rest was refused.
            long kernel = maxOf("/proc/sys/net/ipv4/tcp_wmem") + maxOf("/proc/sys/net/ipv4/tcp_rmem");
            long chunk = 64 * 1024;
            assertTrue(sent <= kernel + limit + chunk, "the flood was stopped after " + sent
                    + " bytes, more than the kernel's buffers (" + kernel + ") plus the bound (" + limit + ")");
            assertTrue(reader.awaitEndOfStream(10_000), "the connection is dropped");
        }
    }

    private static long maxOf(String procFile) throws java.io.IOException {
        // Read as a stream: /proc files announce a size that is not their length.
        String text;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(procFile))) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
        String[] fields = text.trim().split("\\s+");
        return Long.parseLong(fields[fields.length - 1]);
    }
}
