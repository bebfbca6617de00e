package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Pull Zones over HTTP: the packaged server (with a small heap) in front of a real Node origin. Requests and
 * responses pass with their headers, minus hop-by-hop ones, plus the forwarded ones; bodies far larger than the
 * heap stream both ways; an origin that refuses, drops, dawdles or speaks no HTTP gets the client 502 or 504 with a
 * sentence, and no ERROR line.
 */
class OriginHttpIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static NodeOrigin origin;
    private static PackagedServer server;
    private static int closedPort;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        origin = NodeOrigin.start();
        closedPort = PackagedServer.freePort(); // nothing listens there
        server = PackagedServer.start(Path.of("target/origin-http-it.log"), "-Xmx128m",
                "edgesocket.zones.pull.path=/pull/*", "edgesocket.zones.pull.origin.url=" + origin.url("/base"),
                "edgesocket.zones.pull.origin.response-timeout=1s",
                "edgesocket.zones.fwd.path=/fwd/*", "edgesocket.zones.fwd.origin.url=" + origin.url(""),
                "edgesocket.zones.fwd.origin.forward-host-header=true",
                "edgesocket.zones.refused.path=/refused/*",
                "edgesocket.zones.refused.origin.url=http://127.0.0.1:" + closedPort,
                "edgesocket.zones.garbage.path=/garbage/*",
                "edgesocket.zones.garbage.origin.url=http://127.0.0.1:" + origin.garbagePort).awaitUp();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.closeExpectingNoErrors(); // origins that fail are the origin's news, not an ERROR of the server
        }
        if (origin != null) {
            origin.close();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRequestReachesTheOriginBelowItsBasePathWithForwardedHeaders() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.uri("/pull/a/echo?x=1&y=%20"))
                .header("X-Forwarded-For", "203.0.113.7").header("Cookie", "session=abc")
                .header("Authorization", "Bearer t").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode seen = JSON.readTree(response.body());
        assertEquals("GET", seen.get("method").asText());
        assertEquals("/base/pull/a/echo?x=1&y=%20", seen.get("url").asText(), "the origin's path is a prefix");
        JsonNode headers = seen.get("headers");
        assertEquals("127.0.0.1:" + origin.httpPort, headers.get("host").asText(), "the origin's host by default");
        assertEquals("203.0.113.7, 127.0.0.1", headers.get("x-forwarded-for").asText(), "the peer is appended");
        assertEquals("http", headers.get("x-forwarded-proto").asText());
        assertEquals("localhost:" + server.port, headers.get("x-forwarded-host").asText());
        assertEquals("session=abc", headers.get("cookie").asText());
        assertEquals("Bearer t", headers.get("authorization").asText());
        assertTrue(headers.get("via").asText().endsWith("edgesocket"), headers.toString());
        // The response: the origin's own fields, ours added, its hop-by-hop ones gone.
        assertEquals("node", response.headers().firstValue("X-Origin").orElse(null));
        assertTrue(response.headers().firstValue("Via").orElse("").contains("edgesocket"), response.headers().toString());
        assertFalse(response.headers().firstValue("X-Secret").isPresent(), "a field the origin's Connection names stays");
        assertFalse(response.headers().firstValue("Keep-Alive").isPresent());
    }

    @Test
    void theClientsHostGoesToTheOriginWhenTheZoneSaysSo() throws Exception {
        HttpResponse<String> response = get("/fwd/echo");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("localhost:" + server.port, JSON.readTree(response.body()).get("headers").get("host").asText());
    }

    @Test
    void hopByHopFieldsOfTheRequestStayBehind() throws Exception {
        // The JDK's client will not send hop-by-hop fields: a raw connection does.
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Host", "localhost");
        headers.put("Connection", "keep-alive, X-Drop-Me");
        headers.put("X-Drop-Me", "1");
        headers.put("Keep-Alive", "timeout=1");
        headers.put("TE", "trailers");
        headers.put("X-Keep-Me", "2");
        try (dev.edgesocket.testing.RawClient raw = dev.edgesocket.testing.RawClient.open(server.uri(""))) {
            dev.edgesocket.testing.RawClient.HttpAnswer answer = raw.request("GET", "/pull/echo", headers);
            assertEquals(200, answer.status(), answer.body());
            JsonNode seen = JSON.readTree(answer.body()).get("headers");
            assertEquals("2", seen.get("x-keep-me").asText());
            assertFalse(seen.has("x-drop-me"), seen.toString());
            assertFalse(seen.has("keep-alive"), seen.toString());
            assertFalse(seen.has("te"), seen.toString());
            assertFalse(answer.headers().containsKey("x-secret"), answer.headers().toString());
            // The connection goes on: a second request on it is answered too.
            assertEquals(200, raw.request("GET", "/pull/echo", java.util.Map.of("Host", "localhost")).status());
        }
    }

    @Test
    void theOriginsStatusReasonHeadersAndBodyReachTheClient() throws Exception {
        HttpResponse<String> response = get("/pull/status?code=418");
        assertEquals(418, response.statusCode());
        assertEquals("the origin says 418", response.body());
        assertEquals("node", response.headers().firstValue("X-Origin").orElse(null));
        assertEquals(404, get("/pull/nothing-here").statusCode());
        HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(server.uri("/pull/echo"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, head.statusCode());
    }

    @Test
    void bodiesLargerThanTheHeapStreamBothWays() throws Exception {
        // 192 MiB up and 192 MiB down through a server whose whole heap is 128 MiB.
        long size = 192L * 1024 * 1024;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        Supplier<InputStream> body = () -> new InputStream() {
            private long left = size;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) ((size - left + i) % 251);
                }
                sent.update(b, off, n);
                left -= n;
                return n;
            }
        };
        HttpResponse<String> up = HTTP.send(HttpRequest.newBuilder(server.uri("/pull/echo"))
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(body), size))
                .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, up.statusCode(), up.body());
        JsonNode seen = JSON.readTree(up.body());
        assertEquals(size, seen.get("length").asLong());
        assertEquals(HexFormat.of().formatHex(sent.digest()), seen.get("sha256").asText());

        HttpResponse<InputStream> down = HTTP.send(HttpRequest.newBuilder(server.uri("/pull/stream?mb=192"))
                .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, down.statusCode());
        long received = 0;
        try (InputStream in = down.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0;) {
                received += n;
            }
        }
        assertEquals(size, received);
        assertFalse(server.output().contains("OutOfMemoryError"));
    }

    @Test
    void aPathWithDotSegmentsIsRefusedBeforeTheOrigin() throws Exception {
        // The zone is chosen by the path as sent: an origin resolving "..' would serve what no zone rule allowed.
        for (String path : new String[] {"/pull/../admin", "/pull/%2e%2e/admin", "/pull/./echo"}) {
            try (dev.edgesocket.testing.RawClient raw = dev.edgesocket.testing.RawClient.open(server.uri(""))) {
                dev.edgesocket.testing.RawClient.HttpAnswer answer = raw.request("GET", path,
                        java.util.Map.of("Host", "localhost"));
                assertEquals(400, answer.status(), path);
                assertEquals("The path holds a '.' or '..' segment; send it resolved.\n", answer.body());
            }
        }
    }

    @Test
    void aBodyTheOriginCutsShortIsNotPassedOnAsWhole() throws Exception {
        // 1,000 of 1,000,000 announced bytes, then the origin drops: the client must see a broken body, not an end.
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(server.uri("/pull/drop-mid"))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        long read = 0;
        boolean broken = false;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0;) {
                read += n;
            }
        } catch (java.io.IOException e) {
            broken = true;
        }
        assertTrue(broken || read < 1_000_000, "read " + read + " bytes and an end");
        assertTrue(broken, "the body ended quietly after " + read + " bytes");
    }

    @Test
    void anOriginThatRefusesGets502WithASentence() throws Exception {
        HttpResponse<String> response = get("/refused/x");
        assertEquals(502, response.statusCode());
        assertEquals("The origin http://127.0.0.1:" + closedPort + " refused the connection.\n", response.body());
    }

    @Test
    void anOriginThatSpeaksNoHttpGets502() throws Exception {
        HttpResponse<String> response = get("/garbage/x");
        assertEquals(502, response.statusCode());
        assertTrue(response.body().contains("is not a valid HTTP response"), response.body());
    }

    @Test
    void anOriginThatDropsTheConnectionGets502() throws Exception {
        HttpResponse<String> response = get("/pull/drop");
        assertEquals(502, response.statusCode());
        assertTrue(response.body().endsWith("closed the connection before it answered.\n"), response.body());
    }

    @Test
    void anOriginTooSlowToAnswerGets504() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = get("/pull/slow-head?ms=4000");
        assertEquals(504, response.statusCode());
        assertEquals("The origin " + origin.url("/base") + " did not answer within 1000 ms.\n", response.body());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(3).toNanos(), "answered at the deadline");
    }

    @Test
    void failuresAreCountedByCauseAndLogNoError() throws Exception {
        get("/refused/counted");
        get("/garbage/counted");
        String metrics = get("/q/metrics").body();
        assertTrue(metrics.contains("edgesocket_origin_failures_total{cause=\"refused\",zone=\"refused\"}"), metrics);
        assertTrue(metrics.matches("(?s).*edgesocket_origin_failures_total\\{cause=\"bad_response\",zone=\"garbage\"} [1-9].*"),
                metrics);
        assertTrue(metrics.matches("(?s).*edgesocket_origin_connects_total\\{zone=\"pull\"} [1-9].*"), metrics);
        assertTrue(metrics.contains("edgesocket_origin_connect_seconds_bucket"), metrics);
    }
}
