package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.RawClient;

/**
 * The ways around edgesocket.http.header-timeout that issue 19 found, against the packaged server with a
 * deadline of 1.5 s and a TLS port (a self-signed key made here with keytool): each waiting connection is cut
 * within about the deadline, counted from where it began to wait, while a client that sends its requests in
 * time is served on the same kept-alive connection. Before the fixes each of these connections lived until
 * quarkus.http.idle-timeout (60 s), or TLS's 10 s handshake timeout, or for ever with PINGs.
 */
class HeaderDeadlineBypassIT {

    private static final long DEADLINE_MILLIS = 1500;
    /** A connection cut earlier than this was not cut by the deadline. */
    private static final long AT_LEAST_MILLIS = DEADLINE_MILLIS * 3 / 4;
    /** Generous on a loaded machine, and far below the 10 s and 60 s timers that held these connections before. */
    private static final long AT_MOST_MILLIS = DEADLINE_MILLIS + 2500;
    private static final Path DIR = Path.of("target/header-deadline-it");
    private static final char[] PASSWORD = "changeit".toCharArray();

    private static PackagedServer server;
    private static int tlsPort;
    private static SSLContext tls;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(DIR);
        Path keyStore = selfSignedKeyStore(DIR.resolve("server.p12"));
        tls = clientTrusting(keyStore);
        tlsPort = PackagedServer.freePort();
        server = PackagedServer.start(DIR.resolve("server.log"),
                "edgesocket.http.header-timeout=" + DEADLINE_MILLIS + "ms",
                "quarkus.http.ssl-port=" + tlsPort,
                "quarkus.http.ssl.certificate.key-store-file=" + keyStore.toAbsolutePath(),
                "quarkus.http.ssl.certificate.key-store-password=" + new String(PASSWORD)).awaitUp();
        // The deadline is put in place shortly after start, once per port; the server says so.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until && !(server.output().contains("applies to port " + server.port)
                && server.output().contains("applies to port " + tlsPort))) {
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    // 1. Blank lines are not a request head (RFC 9112 §2.2: a server may skip them, and Netty does).

    @Test
    void blankLinesThenATrickledHeadGet408AtTheDeadline() throws Exception {
        try (Socket socket = new Socket("localhost", server.port)) {
            long start = System.nanoTime();
            socket.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Thread trickle = trickle(socket, "GET /q/health/live HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
            String answer = readUntilClosed(socket);
            assertCutInTime(start, "blank lines, then a byte every 250 ms");
            assertTrue(answer.startsWith("HTTP/1.1 408"), "a partial head after blank lines gets 408: " + answer);
            trickle.join(5000);
        }
    }

    @Test
    void onlyBlankLinesAndControlBytesAreClosedAtTheDeadline() throws Exception {
        try (Socket blank = new Socket("localhost", server.port); Socket spaces = new Socket("localhost", server.port)) {
            long start = System.nanoTime();
            blank.getOutputStream().write("\r\n\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            spaces.getOutputStream().write(" \t\0 \r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("", readUntilClosed(blank), "blank lines are not a request: closed without a word");
            assertCutInTime(start, "blank lines only");
            assertEquals("", readUntilClosed(spaces), "what Netty skips before a request line is no request");
        }
    }

    @Test
    void aBlankLineBeforeARequestIsStillServed() throws Exception {
        try (Socket socket = new Socket("localhost", server.port)) {
            OutputStream out = socket.getOutputStream();
            out.write("\r\nGET /q/health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(200, readResponse(socket.getInputStream()).status());
        }
    }

    // 2. After a refused upgrade the next request head is due within the deadline.

    @Test
    void refusedUpgradesReArmTheDeadline() throws Exception {
        List<String> refused = List.of(
                // 404: no zone at this path
                "GET /nowhere HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                // 400: no Sec-WebSocket-Key
                "GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n",
                // 426: a version other than 13
                "GET /echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n");
        List<Integer> statuses = List.of(404, 400, 426);
        for (int i = 0; i < refused.size(); i++) {
            try (Socket socket = new Socket("localhost", server.port)) {
                socket.getOutputStream().write(refused.get(i).getBytes(StandardCharsets.ISO_8859_1));
                Response response = readResponse(socket.getInputStream());
                long answered = System.nanoTime();
                assertEquals(statuses.get(i), response.status(), response.head());
                assertEquals("", readUntilClosed(socket), "nothing more after the refusal");
                assertCutInTime(answered, "silence after a " + response.status() + " to an upgrade");
            }
        }
    }

    @Test
    void afterARefusedUpgradeAKeptAliveClientIsServedAndThenCut() throws Exception {
        try (Socket socket = new Socket("localhost", server.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /nowhere HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(404, readResponse(socket.getInputStream()).status());
            Thread.sleep(DEADLINE_MILLIS / 2);
            out.write("GET /q/health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(200, readResponse(socket.getInputStream()).status(), "a request in time is served");
            long answered = System.nanoTime();
            assertEquals("", readUntilClosed(socket));
            assertCutInTime(answered, "silence after the 200");
        }
    }

    // 3. HTTP/2 with prior knowledge: the deadline runs while no stream is open; PINGs and SETTINGS are no stream.

    @Test
    void h2cPrefaceAndPingsAreCutAtTheDeadline() throws Exception {
        try (H2Client h2 = new H2Client(new Socket("localhost", server.port))) {
            long start = System.nanoTime();
            h2.awaitServerSettings(5000); // h2c with prior knowledge is on: the server answers in HTTP/2
            long closed = h2.pingUntilClosed(300, AT_MOST_MILLIS + 3000);
            assertClosedInTime(start, closed, "an h2c connection with PINGs and no stream");
        }
    }

    @Test
    void h2cStreamsAreServedAndTheDeadlineRestartsAfterTheLast() throws Exception {
        try (H2Client h2 = new H2Client(new Socket("localhost", server.port))) {
            h2.awaitServerSettings(5000);
            Thread.sleep(DEADLINE_MILLIS / 2);
            h2.get(1, "/q/health/live");
            h2.awaitEndOfStream(1, 5000);
            Thread.sleep(DEADLINE_MILLIS * 2 / 3); // past the deadline counted from the connection's start
            h2.get(3, "/q/health/live");
            h2.awaitEndOfStream(3, 5000);
            long lastStreamEnded = System.nanoTime();
            long closed = h2.pingUntilClosed(300, AT_MOST_MILLIS + 3000);
            assertClosedInTime(lastStreamEnded, closed, "PINGs after the last stream ended");
        }
    }

    // 4. TLS: the deadline covers the handshake and reads the decrypted request head.

    @Test
    void aTlsHandshakeThatNeverCompletesIsCutAtTheDeadline() throws Exception {
        try (Socket silent = new Socket("localhost", tlsPort); Socket partial = new Socket("localhost", tlsPort)) {
            long start = System.nanoTime();
            // The first bytes of a TLS record holding a ClientHello, and no more.
            partial.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
            readUntilClosed(silent);
            assertCutInTime(start, "a TLS connection that sends nothing");
            readUntilClosed(partial);
            assertCutInTime(start, "a TLS connection that sends part of a ClientHello");
        }
    }

    @Test
    void overTlsAPartialHeadGets408AndSilenceIsClosed() throws Exception {
        try (SSLSocket partial = tlsSocket(null); SSLSocket silent = tlsSocket(null)) {
            long start = System.nanoTime();
            partial.startHandshake();
            silent.startHandshake();
            partial.getOutputStream().write("GET /q/health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
            partial.getOutputStream().flush();
            String answer = readUntilClosed(partial);
            assertCutInTime(start, "a partial head over TLS");
            assertTrue(answer.startsWith("HTTP/1.1 408"), "the 408 is sent over TLS: " + answer);
            assertEquals("", readUntilClosed(silent));
            assertCutInTime(start, "a TLS connection that completes no request");
        }
    }

    @Test
    void overTlsAKeptAliveClientIsServedAndThenCut() throws Exception {
        try (SSLSocket socket = tlsSocket(null)) {
            OutputStream out = socket.getOutputStream();
            long answered = 0;
            for (int i = 0; i < 3; i++) {
                if (i > 0) {
                    Thread.sleep(DEADLINE_MILLIS * 2 / 3); // the third request comes past the deadline since connecting
                }
                out.write("GET /q/health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                assertEquals(200, readResponse(socket.getInputStream()).status(), "request " + (i + 1) + " over TLS");
                answered = System.nanoTime();
            }
            assertEquals("", readUntilClosed(socket));
            assertCutInTime(answered, "silence after a response over TLS");
        }
    }

    @Test
    void overTlsAWebSocketOutlivesTheDeadline() throws Exception {
        try (SSLSocket socket = tlsSocket(null)) {
            socket.getOutputStream().write(("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            Response upgraded = readResponse(socket.getInputStream());
            assertEquals(101, upgraded.status(), upgraded.head());
            Thread.sleep(DEADLINE_MILLIS + 500); // a WebSocket owes no request heads: the heartbeat governs it
            socket.getOutputStream().write(RawClient.frame(true, 0, RawClient.TEXT, "still here".getBytes(StandardCharsets.UTF_8), true));
            socket.getOutputStream().flush();
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            int first = in.read();
            int length = in.read();
            byte[] payload = in.readNBytes(length);
            assertEquals(0x81, first, "a whole text frame");
            assertEquals("Echo: still here", new String(payload, StandardCharsets.UTF_8));
        }
    }

    @Test
    void h2OverTlsWithPingsIsCutAtTheDeadline() throws Exception {
        try (SSLSocket socket = tlsSocket("h2")) {
            long start = System.nanoTime();
            socket.startHandshake();
            assertEquals("h2", socket.getApplicationProtocol(), "ALPN chose HTTP/2");
            try (H2Client h2 = new H2Client(socket)) {
                h2.awaitServerSettings(5000);
                long closed = h2.pingUntilClosed(300, AT_MOST_MILLIS + 3000);
                assertClosedInTime(start, closed, "h2 over TLS with PINGs and no stream");
            }
        }
    }

    // Helpers

    private static void assertCutInTime(long startNanos, String what) {
        assertClosedInTime(startNanos, System.nanoTime(), what);
    }

    private static void assertClosedInTime(long startNanos, long closedNanos, String what) {
        long millis = TimeUnit.NANOSECONDS.toMillis(closedNanos - startNanos);
        assertTrue(millis >= AT_LEAST_MILLIS && millis <= AT_MOST_MILLIS,
                what + ": closed after " + millis + " ms, the deadline is " + DEADLINE_MILLIS + " ms");
    }

    /** Reads until the server closes the connection and returns what arrived; fails if it is still open. */
    private static String readUntilClosed(Socket socket) throws IOException {
        socket.setSoTimeout((int) (AT_MOST_MILLIS + 3000));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            InputStream in = socket.getInputStream();
            for (int n; (n = in.read(buffer)) != -1;) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open " + socket.getSoTimeout() + " ms later; it sent: "
                    + all.toString(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            // a reset, or TLS cut without close_notify: the connection is closed all the same
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes one byte of {@code head} every 250 ms until it is all sent or the server closes. */
    private static Thread trickle(Socket socket, String head) {
        Thread thread = new Thread(() -> {
            try {
                for (byte b : head.getBytes(StandardCharsets.ISO_8859_1)) {
                    socket.getOutputStream().write(b);
                    Thread.sleep(250);
                }
            } catch (Exception e) {
                // cut off by the server, as it should be
            }
        }, "trickle");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    record Response(int status, String head, String body) {
    }

    /** One HTTP/1.1 response with a Content-Length, read off a kept-alive connection. */
    private static Response readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last = 0;
        while (last != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the connection closed in a response head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            last = (last << 8) | b;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Response(Integer.parseInt(text.split(" ")[1]), text, new String(body, StandardCharsets.UTF_8));
    }

    private static SSLSocket tlsSocket(String alpn) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost", tlsPort);
        if (alpn != null) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {alpn});
            socket.setSSLParameters(parameters);
        }
        return socket;
    }

    /** A key pair and self-signed certificate for localhost, made by the JDK's keytool. */
    private static Path selfSignedKeyStore(Path file) throws Exception {
        Files.deleteIfExists(file);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "keytool: " + output);
        return file;
    }

    /** A TLS client that trusts the server's self-signed certificate, and nothing else. */
    private static SSLContext clientTrusting(Path keyStoreFile) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStoreFile)) {
            keyStore.load(in, PASSWORD);
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", keyStore.getCertificate("server"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
