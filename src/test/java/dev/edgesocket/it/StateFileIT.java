package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.RawClient;

/** Changes made over HTTP survive a restart of the packaged server; a corrupt state file stops it at start. */
class StateFileIT {

    private static final Path DIR = Path.of("target/state-file-it");
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.header("AccessKey", "it-key").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aChangeSurvivesARestart() throws Exception {
        Path state = DIR.resolve("state.json");
        Files.deleteIfExists(state);
        String[] props = {"edgesocket.state-file=" + state, "edgesocket.admin.api-key=it-key"};
        try (PackagedServer server = PackagedServer.start(DIR.resolve("first.log"), props).awaitUp()) {
            HttpResponse<String> patched = send(HttpRequest.newBuilder(server.uri("/api/zones/echo"))
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"websockets\": {\"maxConnections\": 1234, \"enabled\": false}}")));
            assertEquals(200, patched.statusCode(), patched.body());
            assertEquals(0, server.stop(), "SIGTERM drains and exits 0");
        }
        assertTrue(Files.readString(state).contains("1234"), "the state file holds the change");
        try (PackagedServer server = PackagedServer.start(DIR.resolve("second.log"), props).awaitUp()) {
            HttpResponse<String> zone = send(HttpRequest.newBuilder(server.uri("/api/zones/echo")));
            assertTrue(zone.body().contains("\"maxConnections\":1234"), zone.body());
            assertTrue(zone.body().contains("\"enabled\":false"), zone.body());
            try (RawClient client = RawClient.open(server.uri("/"))) {
                assertEquals(403, client.request("GET", "/echo", RawClient.validHandshakeHeaders(server.uri("/"))).status(),
                        "the zone is still disabled after the restart");
            }
        }
    }

    @Test
    void anOriginChangeSurvivesARestartAndAnOlderStateFileStillLoads() throws Exception {
        Path state = DIR.resolve("origin-state.json");
        Files.createDirectories(DIR);
        // A state file as servers wrote it before origin.url could change: websockets only.
        Files.writeString(state, "{\"zones\": {\"echo\": {\"websockets\": {\"maxConnections\": 77}}}}");
        String[] props = {"edgesocket.state-file=" + state, "edgesocket.admin.api-key=it-key",
                "edgesocket.zones.\"pull\".path=/pull", "edgesocket.zones.\"pull\".origin.url=http://127.0.0.1:9"};
        try (PackagedServer server = PackagedServer.start(DIR.resolve("origin-first.log"), props).awaitUp()) {
            HttpResponse<String> echo = send(HttpRequest.newBuilder(server.uri("/api/zones/echo")));
            assertTrue(echo.body().contains("\"maxConnections\":77"), echo.body());
            HttpResponse<String> pull = send(HttpRequest.newBuilder(server.uri("/api/zones/pull"))
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"origin\": {\"url\": \"http://127.0.0.1:7/base\"}}")));
            assertEquals(200, pull.statusCode(), pull.body());
            HttpResponse<String> fronted = send(HttpRequest.newBuilder(server.uri("/api/zones/echo"))
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"origin\": {\"url\": \"http://127.0.0.1:8\"}}")));
            assertEquals(200, fronted.statusCode(), fronted.body());
            assertTrue(fronted.body().contains("\"kind\":\"middleware\""), fronted.body());
            assertEquals(0, server.stop(), "SIGTERM drains and exits 0");
        }
        String written = Files.readString(state);
        assertTrue(written.contains("\"origin\"") && written.contains("http://127.0.0.1:7/base"), written);
        try (PackagedServer server = PackagedServer.start(DIR.resolve("origin-second.log"), props).awaitUp()) {
            HttpResponse<String> pull = send(HttpRequest.newBuilder(server.uri("/api/zones/pull")));
            assertTrue(pull.body().contains("\"url\":\"http://127.0.0.1:7/base\""), pull.body());
            assertTrue(pull.body().contains("\"kind\":\"pull-zone\""), pull.body());
            HttpResponse<String> echo = send(HttpRequest.newBuilder(server.uri("/api/zones/echo")));
            assertTrue(echo.body().contains("\"kind\":\"middleware\""), echo.body());
            assertTrue(echo.body().contains("\"url\":\"http://127.0.0.1:8\""), echo.body());
            assertTrue(echo.body().contains("\"maxConnections\":77"), echo.body());
        }
    }

    @Test
    void aCorruptStateFileStopsTheServerWithASentenceNamingIt() throws Exception {
        Path state = DIR.resolve("corrupt.json");
        Files.createDirectories(DIR);
        Files.writeString(state, "{\"zones\": {\"echo\": {\"websockets\": {\"maxConnections\": ");
        try (PackagedServer server = PackagedServer.start(DIR.resolve("corrupt.log"), "edgesocket.state-file=" + state)) {
            assertNotEquals(0, server.awaitExit(60), "the server refuses to start");
            assertTrue(server.output().contains("The state file " + state + " cannot be used: it is not valid JSON"),
                    server.output());
        }
        Files.writeString(state, "{\"zones\": {\"echo\": {\"websockets\": {\"maxConnections\": -3}}}}");
        try (PackagedServer server = PackagedServer.start(DIR.resolve("bad-values.log"), "edgesocket.state-file=" + state)) {
            assertNotEquals(0, server.awaitExit(60));
            assertTrue(server.output().contains("The state file " + state + " cannot be used: zone 'echo' has bad settings"),
                    server.output());
        }
    }
}
