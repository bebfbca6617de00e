package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.WsClient;

/**
 * Slowloris against the packaged server with edgesocket.http.header-timeout=2s: 500 connections that send
 * part of a request head and 500 that send nothing are all closed within the timeout plus a margin, the
 * partial ones with 408; the echo keeps working meanwhile; a client whose head arrives in chunks within the
 * limit is served; an idle kept-alive connection is closed after the same time.
 */
class HeaderTimeoutIT {

    private static final int EACH = 500;

    @Test
    void slowAndSilentConnectionsAreCutAtTheHeaderTimeout() throws Exception {
        try (PackagedServer server = PackagedServer.start(Path.of("target/header-timeout-it/server.log"),
                "edgesocket.http.header-timeout=2s").awaitUp()) {
            URI base = server.uri("/");
            Thread.sleep(500); // the deadline is installed once the server has started
            List<Socket> partial = new ArrayList<>();
            List<Socket> silent = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < EACH; i++) {
                Socket s = new Socket("localhost", server.port);
                s.getOutputStream().write("GET /echo HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
                partial.add(s);
                silent.add(new Socket("localhost", server.port));
            }
            // A trickler: one byte of a request head every 300 ms, which an idle timer would never cut.
            Socket trickler = new Socket("localhost", server.port);
            Thread trickle = new Thread(() -> {
                byte[] head = "GET /echo HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.ISO_8859_1);
                try {
                    for (byte b : head) {
                        trickler.getOutputStream().write(b);
                        Thread.sleep(300);
                    }
                } catch (Exception e) {
                    // cut off by the server, as it should be
                }
            });
            trickle.start();
            try (WsClient echo = WsClient.connect(base, "/echo")) {
                echo.send("still served");
                echo.expectText("Echo: still served");
                // A well-behaved client whose head comes in three chunks, 500 ms apart, within the 2 s.
                try (Socket chunked = new Socket("localhost", server.port)) {
                    OutputStream out = chunked.getOutputStream();
                    for (String chunk : new String[] {"GET /echo HTTP/1.1\r\n", "Host: x\r\n", "Accept: */*\r\n\r\n"}) {
                        out.write(chunk.getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        Thread.sleep(500);
                    }
                    String answer = readAll(chunked, 5000);
                    assertTrue(answer.startsWith("HTTP/1.1 426"), "the chunked request is served: " + answer);
                }
                for (Socket s : partial) {
                    String answer = readAll(s, 10_000);
                    assertTrue(answer.startsWith("HTTP/1.1 408"), "a partial head gets 408: " + answer);
                }
                for (Socket s : silent) {
                    assertEquals("", readAll(s, 10_000), "a silent connection is closed without a word");
                }
                String trickled = readAll(trickler, 10_000);
                assertTrue(trickled.startsWith("HTTP/1.1 408"), "a byte every 300 ms does not extend the deadline: " + trickled);
                trickle.join(20_000);
                trickler.close();
                double seconds = (System.nanoTime() - start) / 1e9;
                assertTrue(seconds < 2 + 6, "all 1,000 closed " + seconds + " s after they opened (header-timeout 2 s)");
                echo.send("after the storm");
                echo.expectText("Echo: after the storm");
            } finally {
                for (Socket s : partial) {
                    s.close();
                }
                for (Socket s : silent) {
                    s.close();
                }
            }
            // A kept-alive connection that goes quiet after a response is closed after the same time.
            try (Socket keptAlive = new Socket("localhost", server.port)) {
                keptAlive.getOutputStream().write("GET /q/health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                long t0 = System.nanoTime();
                String answer = readAll(keptAlive, 10_000);
                double closedAfter = (System.nanoTime() - t0) / 1e9;
                assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
                assertTrue(closedAfter >= 1.5 && closedAfter < 6, "closed " + closedAfter + " s after the response");
            }
        }
    }

    /** Reads until the server closes the connection (or the timeout passes), returning what arrived. */
    private static String readAll(Socket socket, int timeoutMillis) throws Exception {
        socket.setSoTimeout(timeoutMillis);
        InputStream in = socket.getInputStream();
        byte[] all = in.readAllBytes();
        return new String(all, StandardCharsets.ISO_8859_1);
    }
}
