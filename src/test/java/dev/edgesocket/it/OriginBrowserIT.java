package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * A site behind a Pull Zone: Chromium loads a page that the Node origin serves through the zone and opens a
 * WebSocket to the same zone (playwright-core, src/test/interop/browser/pullzone.mjs). The zone is configured with
 * {@code dispatch=worker}, which a Pull Zone overrides (it runs no script, so its relay stays on the event loop):
 * it relays as any Pull Zone does, and the config API says what it is.
 */
class OriginBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "browser-key";
    private static NodeOrigin origin;
    private static PackagedServer server;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        origin = NodeOrigin.start();
        server = PackagedServer.start(Path.of("target/origin-browser-it.log"), "-Xmx256m",
                "edgesocket.admin.api-key=" + KEY,
                "edgesocket.zones.site.path=/site/*", "edgesocket.zones.site.origin.url=" + origin.url("/base"),
                "edgesocket.zones.site.dispatch=worker")
                .awaitUp();
        base = server.uri("");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.closeExpectingNoErrors();
        }
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void chromiumLoadsTheOriginsPageAndTalksToItsWebSocketThroughTheZone() throws Exception {
        String output = ExternalClients.runInChromium(120, "pullzone.mjs", server.uri("/").toString(), "/site");
        assertTrue(output.contains("3 passed, 0 failed"), output);
        Eventually.until("the origin to see the browser's close", Duration.ofSeconds(10),
                () -> origin.output().contains("closed 4000 browser done"));
    }

    @Test
    void theClientsOriginHeaderReachesTheOriginAndNoneIsMadeUp() throws Exception {
        // Sites check Origin against cross-site WebSocket hijacking: the browser's must reach them as it was sent,
        // and a client that sent none must not get one invented on its behalf.
        assertEquals("https://site.example", originSeen(java.util.Map.of("Origin", "https://site.example")));
        assertEquals(null, originSeen(java.util.Map.of()));
    }

    /** The Origin header the origin's ws server saw for a handshake with these extra headers, or null. */
    private static String originSeen(java.util.Map<String, String> extra) throws Exception {
        try (RawClient raw = RawClient.open(base)) {
            raw.upgrade(base, "/site/origin-header", extra);
            raw.sendText("handshake");
            JsonNode headers = JSON.readTree(raw.readFrame().text()).get("headers");
            return headers.has("origin") ? headers.get("origin").asText() : null;
        }
    }

    @Test
    void aPullZoneConfiguredForWorkersRelaysOnTheEventLoopAndSaysSo() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri("/api/zones/site"))
                .header("AccessKey", KEY).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode zone = JSON.readTree(answer.body());
        assertEquals("pull-zone", zone.get("kind").asText(), zone.toString());
        assertEquals("event-loop", zone.get("dispatch").asText(), "a Pull Zone's relay runs on the event loop: " + zone);
        assertEquals(origin.url("/base"), zone.get("origin").get("url").asText(), zone.toString());
        assertTrue(server.output().contains("Zone 'site' serves /site/* from the origin " + origin.url("/base")),
                "the start-up line names the origin");

        // Relayed all the same: messages in order both ways, binary too, and closes with their codes.
        try (WsClient client = WsClient.connect(base, "/site/worker", "v1")) {
            assertEquals("v1", client.subProtocol());
            for (int i = 0; i < 200; i++) {
                client.send("w" + i);
                client.send(new byte[] {(byte) i, 7});
            }
            for (int i = 0; i < 200; i++) {
                assertEquals("w" + i, client.nextText());
                assertArrayEquals(new byte[] {(byte) i, 7}, client.nextBinary());
            }
            client.send("close:4333:relayed");
            assertEquals(new WsClient.Closed(4333, "relayed"), client.awaitClose());
        }
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri("/site/echo?w=1"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode(), page.body());
        assertEquals("/base/site/echo?w=1", JSON.readTree(page.body()).get("url").asText());
    }
}
