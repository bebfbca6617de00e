package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** Chromium's own WebSocket client (headless, via playwright-core) against the TypeScript echo zone. */
@QuarkusIntegrationTest
@TestProfile(ExamplesOn.class)
class BrowserJsZoneIT {

    @TestHTTPResource("/")
    URI base;

    @Test
    void chromiumTalksToATypeScriptZone() throws Exception {
        String output = ExternalClients.runInChromium(300, "jszone.mjs", base.toString());
        assertTrue(output.contains("1 passed, 0 failed"), output);
    }
}
