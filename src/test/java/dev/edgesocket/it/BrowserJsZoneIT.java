package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Chromium's own WebSocket client (headless, via playwright-core) against the TypeScript echo zone. */
@QuarkusIntegrationTest
class BrowserJsZoneIT {

    @TestHTTPResource("/")
    URI base;

    @Test
    void chromiumTalksToATypeScriptZone() throws Exception {
        ExternalClients.requireOrSkip("node");
        if (!Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            ExternalClients.requireOrSkip("chromium");
        }
        Path project = ExternalClients.npmProject("browser");
        String output = ExternalClients.run(project, 300, "node", "jszone.mjs", base.toString());
        assertTrue(output.contains("1 passed, 0 failed"), output);
    }
}
