package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.WsClient;

/**
 * Pull Zones in front of an HTTPS (and WSS) origin: a Node origin with a certificate for {@code localhost} and
 * {@code 127.0.0.1} signed by a CA that the test makes with openssl, so that no trust store knows it. The zone
 * {@code trusted} adds the CA with {@code origin.tls.trust-store}, {@code jdk} trusts the JDK's CAs only, and
 * {@code insecure} trusts anything; a trust store that cannot be read stops the start.
 */
class OriginTlsIT {

    private static final Path DIR = Path.of("target/origin-tls-it");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static NodeOrigin origin;
    private static PackagedServer server;
    private static URI base;
    private static Path ca;
    /** A name with a dot (the JDK names only such hosts by SNI by itself), resolved by a hosts file of the test's. */
    private static final String NAME = "origin.test";

    @BeforeAll
    static void start() throws Exception {
        requireOpenssl();
        Certificates certificates = Certificates.make(DIR);
        ca = certificates.ca();
        origin = NodeOrigin.startTls(certificates.key(), certificates.certificate());
        Path hosts = DIR.resolve("hosts").toAbsolutePath();
        Files.writeString(hosts, "127.0.0.1 localhost " + NAME + "\n");
        server = PackagedServer.start(DIR.resolve("server.log"), "-Xmx256m",
                // Vert.x resolves with the JDK, which reads this hosts file, so that origin.test is 127.0.0.1.
                "vertx.disableDnsResolver=true", "jdk.net.hosts.file=" + hosts,
                "edgesocket.zones.named.path=/named/*",
                "edgesocket.zones.named.origin.url=" + origin.httpsUrl(NAME, "/base"),
                "edgesocket.zones.named.origin.tls.trust-store=" + ca.toAbsolutePath(),
                "edgesocket.zones.trusted.path=/trusted/*",
                "edgesocket.zones.trusted.origin.url=" + origin.httpsUrl("localhost", "/base"),
                "edgesocket.zones.trusted.origin.tls.trust-store=" + ca.toAbsolutePath(),
                "edgesocket.zones.jdk.path=/jdk/*",
                "edgesocket.zones.jdk.origin.url=" + origin.httpsUrl("localhost", "/base"),
                "edgesocket.zones.insecure.path=/insecure/*",
                "edgesocket.zones.insecure.origin.url=" + origin.httpsUrl("127.0.0.1", "/base"),
                "edgesocket.zones.insecure.origin.tls.insecure=true")
                .awaitUp();
        base = server.uri("");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.closeExpectingNoErrors(); // an untrusted origin certificate is the origin's news, not an ERROR
        }
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void aTrustStoreWithTheOriginsCaLetsHttpAndWebSocketsThrough() throws Exception {
        HttpResponse<String> answer = get("/trusted/echo?x=1");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("/base/trusted/echo?x=1", JSON.readTree(answer.body()).get("url").asText());
        try (WsClient client = WsClient.connect(base, "/trusted/socket")) {
            client.send("over wss");
            assertEquals("over wss", client.nextText());
            client.send(new byte[] {1, 2, 3});
            org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {1, 2, 3}, client.nextBinary());
            client.send("close:4321:bye");
            assertEquals(new WsClient.Closed(4321, "bye"), client.awaitClose());
        }
    }

    @Test
    void theOriginSeesItsHostNameBySni() throws Exception {
        HttpResponse<String> answer = get("/named/sni");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals(NAME, answer.body(), "the HTTP side names the origin's host in its TLS handshake");
        answer = get("/trusted/sni");
        assertEquals("localhost", answer.body(), "a host name without a dot too");
        try (WsClient client = WsClient.connect(base, "/named/sni-socket")) {
            client.send("handshake");
            JsonNode seen = JSON.readTree(client.nextText());
            assertEquals(NAME, seen.get("servername").asText(),
                    "the WebSocket side names the origin's host in its TLS handshake: " + seen);
            assertEquals(NAME + ":" + origin.httpPort, seen.get("headers").get("host").asText(), seen.toString());
        }
    }

    @Test
    void withTheJdksTrustStoreOnlyTheClientGets502SayingTls() throws Exception {
        String sentence = "The origin " + origin.httpsUrl("localhost", "/base") + " could not be reached over TLS: ";
        HttpResponse<String> answer = get("/jdk/echo");
        assertEquals(502, answer.statusCode(), answer.body());
        assertTrue(answer.body().startsWith(sentence), answer.body());
        try (RawClient raw = RawClient.open(base)) {
            RawClient.HttpAnswer upgrade = raw.request("GET", "/jdk/socket", RawClient.validHandshakeHeaders(base));
            assertEquals(502, upgrade.status(), upgrade.body());
            assertTrue(upgrade.body().startsWith(sentence), upgrade.body());
        }
    }

    @Test
    void insecureTrustsAnyCertificateAndSaysSoAtStart() throws Exception {
        HttpResponse<String> answer = get("/insecure/echo");
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("/base/insecure/echo", JSON.readTree(answer.body()).get("url").asText());
        try (WsClient client = WsClient.connect(base, "/insecure/socket")) {
            client.send("anything goes");
            assertEquals("anything goes", client.nextText());
        }
        String warning = server.output().lines()
                .filter(line -> line.contains("Zone 'insecure' trusts any certificate of its origin")).findFirst()
                .orElseThrow(() -> new AssertionError("no warning about origin.tls.insecure"));
        assertTrue(warning.contains("\"level\":\"WARN\"") || warning.contains("WARN"), warning);
        assertTrue(warning.contains("origin.tls.insecure=true"), warning);
    }

    @Test
    void aTrustStoreThatCannotBeReadStopsTheStartNamingTheZone() throws Exception {
        Path missing = DIR.resolve("no-such-ca.pem").toAbsolutePath();
        Path notPem = DIR.resolve("not-a-ca.pem");
        Files.writeString(notPem, "this is no certificate\n");
        for (Path bad : new Path[] {missing, notPem.toAbsolutePath()}) {
            try (PackagedServer refused = PackagedServer.start(DIR.resolve("refused-" + bad.getFileName() + ".log"),
                    "-Xmx256m", "edgesocket.zones.broken.path=/broken/*",
                    "edgesocket.zones.broken.origin.url=https://localhost:" + origin.httpPort,
                    "edgesocket.zones.broken.origin.tls.trust-store=" + bad)) {
                int exit = refused.awaitExit(60);
                String output = refused.output();
                assertNotEquals(0, exit, output);
                assertTrue(output.contains("edgesocket.zones.\\\"broken\\\".origin.tls.trust-store " + bad)
                        || output.contains("edgesocket.zones.\"broken\".origin.tls.trust-store " + bad), output);
                // The JDK's words for a file that is not PEM may change; a missing file's are ours.
                assertTrue(output.contains("could not be read: " + (bad.equals(missing) ? "there is no such file" : "")),
                        output);
            }
        }
    }

    /** openssl has no --version (what {@link ExternalClients#requireOrSkip} asks), so it is asked for its version. */
    private static void requireOpenssl() throws Exception {
        boolean present;
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            present = process.waitFor() == 0;
        } catch (java.io.IOException e) {
            present = false;
        }
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("openssl is missing: src/test/setup/test-packages.sh must install it");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(present, "openssl is not installed; skipping the TLS origin tests");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A CA of the test's own and a certificate it signed for localhost and 127.0.0.1, as PEM files. */
    private record Certificates(Path ca, Path key, Path certificate) {

        static Certificates make(Path dir) throws Exception {
            Files.createDirectories(dir);
            Path folder = dir.toAbsolutePath();
            Files.writeString(folder.resolve("server.ext"), "basicConstraints=CA:FALSE\n"
                    + "keyUsage=critical,digitalSignature,keyEncipherment\n"
                    + "extendedKeyUsage=serverAuth\n"
                    + "subjectAltName=DNS:localhost,DNS:" + NAME + ",IP:127.0.0.1\n");
            ExternalClients.run(folder, 60, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                    "-subj", "/CN=edgesocket test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                    "-addext", "keyUsage=critical,keyCertSign,cRLSign");
            ExternalClients.run(folder, 60, "openssl", "req", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                    "-subj", "/CN=localhost");
            ExternalClients.run(folder, 60, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem",
                    "-CAkey", "ca.key", "-set_serial", "2", "-days", "2", "-extfile", "server.ext", "-out", "server.pem");
            return new Certificates(folder.resolve("ca.pem"), folder.resolve("server.key"), folder.resolve("server.pem"));
        }
    }
}
