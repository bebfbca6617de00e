package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The zone console in Debian's headless Chromium, driven by playwright-core, against the packaged
 * server: it is also the interop test of Chrome's own WebSocket client with edgesocket.
 */
@QuarkusIntegrationTest
@TestProfile(BrowserConsoleIT.Settings.class)
class BrowserConsoleIT {

    public static class Settings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edgesocket.zones.\"echo\".websockets.subprotocols", "v2.echo,v1.echo",
                    "edgesocket.admin.api-key", "console-key", "edgesocket.examples.enabled", "true");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void theConsoleWorksInChromium() throws Exception {
        Path screenshot = Path.of("target/console.png").toAbsolutePath();
        String output = ExternalClients.runInChromium(300, "console.mjs", base.toString(), "console-key",
                screenshot.toString());
        assertTrue(output.contains(" passed, 0 failed"), output);
        assertTrue(Files.size(screenshot) > 0, "a screenshot under target/");
        assertTrue(Files.size(Path.of("target/console-charts.png")) > 0, "the live charts' screenshot under target/");
        assertTrue(Files.size(Path.of("target/console-overview.png")) > 0, "the overview's screenshot under target/");
    }

    /**
     * Dev mode tells the console its AccessKey without one (GET /console/dev-key); the packaged server, in the
     * prod profile, must not, though it has a key.
     */
    @Test
    void thePackagedServerDoesNotRevealItsKeyToTheConsole() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(base.resolve("/console/dev-key")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("{\"accessKey\":null}", response.body());
        assertFalse(response.body().contains("console-key"), response.body());
    }

    /** Issue 13: the chat example in Chromium, two pages of one room. Its screenshot is target/chat.png. */
    @Test
    void twoPagesInOneChatRoomSeeEachOthersMessages() throws Exception {
        Path screenshot = Path.of("target/chat.png").toAbsolutePath();
        String output = ExternalClients.runInChromium(120, "chat.mjs", base.toString(), screenshot.toString());
        assertTrue(output.contains(" passed, 0 failed"), output);
        assertTrue(Files.size(screenshot) > 0, "a screenshot under target/");
    }
}
