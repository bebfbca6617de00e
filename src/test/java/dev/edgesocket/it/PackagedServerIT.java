package dev.edgesocket.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The packaged artifact (the jar here, the native binary where one was built) with the Quickstart
 * zone: echo, subprotocol negotiation, the idle close, admin authentication and the health probes.
 */
@QuarkusIntegrationTest
@TestProfile(PackagedServerIT.Settings.class)
class PackagedServerIT {

    /** The echo zone with subprotocols and heartbeats in seconds, and the config API on. */
    public static class Settings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "edgesocket.zones.\"echo\".websockets.subprotocols", "v2.echo,v1.echo",
                    "edgesocket.zones.\"echo\".websockets.idle-timeout", "2s",
                    "edgesocket.zones.\"echo\".websockets.max-idle", "30s",
                    "edgesocket.admin.api-key", "it-key",
                    "edgesocket.examples.enabled", "true");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void echoesTextAndBinary() {
        try (WsClient client = WsClient.connect(base, "/echo")) {
            client.send("packaged");
            client.expectText("Echo: packaged");
            client.send(new byte[] {0, 1, 2, (byte) 255});
            assertEquals(4, client.nextBinary().length);
        }
    }

    @Test
    void negotiatesTheZonesSubprotocols() throws Exception {
        try (WsClient client = WsClient.connect(base, "/echo", "v1.echo", "v2.echo")) {
            assertEquals("v2.echo", client.subProtocol());
        }
        try (RawClient raw = RawClient.open(base)) {
            Map<String, String> headers = RawClient.validHandshakeHeaders(base);
            headers.put("Sec-WebSocket-Protocol", "mqtt");
            assertEquals(400, raw.request("GET", "/echo", headers).status());
        }
    }

    @Test
    void dropsAClientThatNeverAnswersPings() throws Exception {
        try (RawClient client = RawClient.handshake(base, "/echo")) {
            assertEquals(RawClient.PING, client.readFrame().opcode());
            RawClient.Frame close = client.readFrame();
            assertEquals(1001, close.closeCode());
            assertEquals("No response from ping frame.", close.closeReason());
            assertTrue(client.awaitEndOfStream(2000));
        }
    }

    @Test
    void theConfigApiNeedsTheKey() {
        given().when().get("/api/zones").then().statusCode(401);
        given().header("AccessKey", "it-key").when().get("/api/zones/echo").then().statusCode(200)
                .body("websockets.subprotocols[0]", equalTo("v2.echo"))
                .body("websockets.idleTimeout", equalTo(2));
    }

    @Test
    void healthProbesAnswer() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/metrics").then().statusCode(200);
    }
}
