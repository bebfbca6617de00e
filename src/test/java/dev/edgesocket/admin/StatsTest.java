package dev.edgesocket.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.Eventually;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The charts' endpoint, /api/stats, as real traffic on a zone of its own moves it. */
@QuarkusTest
class StatsTest {

    @TestHTTPResource("/")
    URI base;

    private static JsonPath charts(long since) {
        return given().header("AccessKey", "test-key").queryParam("zone", "charts").queryParam("since", since)
                .when().get("/api/stats").then().statusCode(200).header("Cache-Control", "no-store")
                .extract().jsonPath().setRootPath("zones[0].series");
    }

    private static double sum(JsonPath series, String column) {
        return series.<Number>getList(column).stream().mapToDouble(Number::doubleValue).sum();
    }

    private static Number last(JsonPath series, String column) {
        List<Number> values = series.getList(column);
        return values.isEmpty() ? null : values.get(values.size() - 1);
    }

    private static boolean isOne(Number n) {
        return n != null && n.intValue() == 1;
    }

    private static boolean isZero(Number n) {
        return n != null && n.intValue() == 0;
    }

    /** Polls (samples are taken once a second) until the charts' series satisfies {@code done}. */
    private static JsonPath awaitSeries(long since, Predicate<JsonPath> done) throws InterruptedException {
        return Eventually.last(Duration.ofSeconds(6), Duration.ofMillis(100), () -> charts(since), done);
    }

    @Test
    void countsAndRatesMoveWithTraffic() throws Exception {
        long start = System.currentTimeMillis() / 1000 - 1;
        String message = "twelve bytes";
        try (WsClient client = WsClient.connect(base, "/charts-zone")) {
            for (int i = 0; i < 25; i++) {
                client.send(message);
                client.expectText("Echo: " + message);
            }
            JsonPath during = awaitSeries(start, s -> sum(s, "messagesIn") >= 25 && isOne(last(s, "open")));
            assertEquals(1, last(during, "open").intValue(), "one socket open");
            assertEquals(1.0, sum(during, "upgradesAccepted"), "one accepted upgrade");
            assertEquals(0.0, sum(during, "upgradesRefused"));
            assertEquals(25.0, sum(during, "messagesIn"), "25 messages in over the seconds sampled");
            assertEquals(25.0, sum(during, "messagesOut"), "25 echoes out");
            assertEquals(25.0 * 12, sum(during, "bytesIn"));
            assertEquals(25.0 * (12 + 6), sum(during, "bytesOut"));
            List<Long> t = during.<Number>getList("t").stream().map(Number::longValue).toList();
            for (int i = 1; i < t.size(); i++) {
                assertTrue(t.get(i) > t.get(i - 1), "one sample per second, oldest first: " + t);
            }
            assertTrue(t.get(0) > start, "only samples after since");

            // The zone pings every second: round trips show up within a few seconds.
            JsonPath pinged = awaitSeries(start, s -> last(s, "pingP50Ms") != null);
            assertNotNull(last(pinged, "pingP50Ms"), "a ping round trip was measured");
            double p50 = last(pinged, "pingP50Ms").doubleValue(), p99 = last(pinged, "pingP99Ms").doubleValue();
            assertTrue(p50 > 0 && p50 <= p99 && p99 < 1000, "p50 " + p50 + " ms, p99 " + p99 + " ms on loopback");

            client.close(4001, "bye");
            client.awaitClose();
        }
        JsonPath after = awaitSeries(start, s -> s.getMap("closes").containsKey("4xxx") && isZero(last(s, "open")));
        assertEquals(0, last(after, "open").intValue());
        Map<String, List<Number>> closes = after.getMap("closes");
        assertEquals(1.0, closes.get("4xxx").stream().mapToDouble(Number::doubleValue).sum(), "one close with 4001: " + closes);

        // Polling with since = the last second seen gets only what is newer.
        long lastSeen = last(after, "t").longValue();
        List<Long> newer = charts(lastSeen).<Number>getList("t").stream().map(Number::longValue).toList();
        assertTrue(newer.stream().allMatch(s -> s > lastSeen), newer.toString());
    }

    @Test
    void aZoneWithAnOriginHasTheOriginsSeriesAndItsFailuresMove() throws Exception {
        long start = System.currentTimeMillis() / 1000 - 1;
        // Nothing listens on the origin's port: each request is refused there and answered 502 here.
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 3; i++) {
            java.net.http.HttpResponse<String> answer = http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/pull-stats"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(502, answer.statusCode(), answer.body());
        }
        JsonPath series = Eventually.last(Duration.ofSeconds(6), Duration.ofMillis(100),
                () -> given().header("AccessKey", "test-key").queryParam("zone", "pull-stats").queryParam("since", start)
                        .when().get("/api/stats").then().statusCode(200).extract().jsonPath().setRootPath("zones[0].series"),
                s -> s.getList("originFailures") != null && sum(s, "originFailures") >= 3);
        assertEquals(series.getList("t").size(), series.getList("originConnects").size(), "one entry per second");
        assertEquals(series.getList("t").size(), series.getList("originConnectMs").size());
        assertEquals(0.0, sum(series, "originConnects"), "no connection was made");
        // A zone without an origin has no origin series at all.
        given().header("AccessKey", "test-key").queryParam("zone", "charts").when().get("/api/stats").then().statusCode(200)
                .body("zones[0].series", org.hamcrest.Matchers.not(hasKey("originConnects")));
    }

    @Test
    void everyZoneWithoutAZoneParameterAndTheErrors() {
        given().header("AccessKey", "test-key").when().get("/api/stats").then().statusCode(200)
                .body("node", equalTo(null))
                .body("intervalSeconds", equalTo(1))
                .body("capacity", equalTo(900))
                .body("zones.name", hasItem("echo"))
                .body("zones.find { it.name == 'echo' }.path", equalTo("/echo"))
                .body("zones.find { it.name == 'echo' }", org.hamcrest.Matchers.not(hasKey("nodes")));
        given().when().get("/api/stats").then().statusCode(401)
                .body("message", equalTo("This call needs the header AccessKey with the admin API key."));
        given().header("AccessKey", "test-key").queryParam("zone", "nope").when().get("/api/stats").then().statusCode(404)
                .body("message", equalTo("There is no zone 'nope'."));
        given().header("AccessKey", "test-key").queryParam("since", "yesterday").when().get("/api/stats").then().statusCode(400)
                .body("message", equalTo("since must be a second in Unix time (a whole number), got 'yesterday'."));
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/stats"))
                .body("paths.'/api/stats'.get.security[0]", hasKey("AccessKey"))
                .body("components.schemas", hasKey("Stats"))
                .body("components.schemas", hasKey("Series"));
    }
}
