package dev.edgesocket.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.Eventually;
import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The Prometheus series at /q/metrics, counted from real traffic on a zone of its own. */
@QuarkusTest
class MetricsTest {

    @TestHTTPResource("/")
    URI base;

    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.Ee+-]+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static String scrape() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void trafficShowsUpPerZone() throws Exception {
        try (WsClient client = WsClient.connect(base, "/metrics-zone")) {
            client.send("hello");
            client.expectText("Echo: hello");
            client.send(new byte[] {1, 2, 3});
            client.nextBinary();
            String during = scrape();
            assertEquals(1, value(during, "edgesocket_connections{zone=\"metrics\"}"));
            client.close(4001, "bye");
            client.awaitClose();
        }
        try (RawClient raw = RawClient.open(base)) {
            Map<String, String> headers = RawClient.validHandshakeHeaders(base);
            headers.remove("Sec-WebSocket-Key");
            assertEquals(400, raw.request("GET", "/metrics-zone", headers).status());
        }
        try (RawClient raw = RawClient.open(base)) {
            assertEquals(401, raw.request("GET", "/metrics-zone?respond=401", RawClient.validHandshakeHeaders(base)).status());
        }
        String metrics = Eventually.last(Duration.ofSeconds(3), Duration.ofMillis(20), () -> scrape(),
                m -> value(m, "edgesocket_connections{zone=\"metrics\"}") == 0);
        assertEquals(0, value(metrics, "edgesocket_connections{zone=\"metrics\"}"));
        assertEquals(1, value(metrics, "edgesocket_upgrades_total{outcome=\"accepted\",zone=\"metrics\"}"));
        assertEquals(1, value(metrics, "edgesocket_upgrades_total{outcome=\"bad_request\",zone=\"metrics\"}"));
        assertEquals(1, value(metrics, "edgesocket_upgrades_total{outcome=\"rejected_by_script\",zone=\"metrics\"}"));
        assertEquals(0, value(metrics, "edgesocket_upgrades_total{outcome=\"refused_limit\",zone=\"metrics\"}"));
        assertEquals(1, value(metrics, "edgesocket_messages_total{direction=\"in\",type=\"text\",zone=\"metrics\"}"));
        assertEquals(1, value(metrics, "edgesocket_messages_total{direction=\"in\",type=\"binary\",zone=\"metrics\"}"));
        assertEquals(1, value(metrics, "edgesocket_messages_total{direction=\"out\",type=\"text\",zone=\"metrics\"}"));
        assertEquals(8, value(metrics, "edgesocket_bytes_total{direction=\"in\",zone=\"metrics\"}"));
        assertEquals(14, value(metrics, "edgesocket_bytes_total{direction=\"out\",zone=\"metrics\"}"));
        assertEquals(1, value(metrics, "edgesocket_closes_total{code=\"4xxx\",zone=\"metrics\"}"));
        assertTrue(value(metrics, "edgesocket_connection_seconds_total{zone=\"metrics\"}") > 0);
        assertEquals(0, value(metrics, "edgesocket_heartbeat_timeouts_total{zone=\"metrics\"}"));
        assertTrue(metrics.contains("edgesocket_ping_rtt_seconds_bucket{zone=\"metrics\""), "the round-trip histogram is published");
    }

    @Test
    void closeCodeTagsStayBounded() {
        assertEquals("1000", ZoneMetrics.codeTag(1000));
        assertEquals("1006", ZoneMetrics.codeTag(1006));
        assertEquals("3xxx", ZoneMetrics.codeTag(3333));
        assertEquals("4xxx", ZoneMetrics.codeTag(4999));
        assertEquals("other", ZoneMetrics.codeTag(2000));
        assertEquals("other", ZoneMetrics.codeTag(65535));
    }
}
