package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Issue 19, item 7: the packaged server as it ships serves no demo zone. It says in one line how to get a zone
 * served, and it is live and ready all the same (DECISIONS.md: a server with no zones is live and ready).
 */
class ShippedDefaultsIT {

    @Test
    void aPackagedServerServesNoDemoZoneAndSaysHowToAddOne() throws Exception {
        try (PackagedServer server = PackagedServer.startAsShipped(Path.of("target/shipped-defaults-it/server.log"))
                .awaitUp()) {
            HttpClient http = HttpClient.newHttpClient();
            for (String zone : new String[] { "/echo", "/chat", "/echo-ts", "/chat-js", "/room-ts" }) {
                assertEquals(404, http.send(HttpRequest.newBuilder(server.uri(zone)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode(), zone + " is not served");
            }
            for (String probe : new String[] { "/q/health/live", "/q/health/ready" }) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(server.uri(probe)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), probe + ": " + answer.body());
            }
            String log = server.output();
            long hints = log.lines().filter(l -> l.contains("No zones are configured")).count();
            assertEquals(1, hints, log);
            assertTrue(log.contains("edgesocket.examples.enabled=true"), "the hint names the setting:\n" + log);
            assertTrue(!log.contains("Zone 'echo'"), log);
        }
    }
}
