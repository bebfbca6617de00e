package dev.edgesocket.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The origins of src/test/interop/origin/origin.mjs, run by Node on free loopback ports: an HTTP and WebSocket
 * server, and a TCP server that answers with bytes that are not HTTP.
 */
final class NodeOrigin implements AutoCloseable {

    final int httpPort;
    final int garbagePort;
    private final Process process;
    private final StringBuffer output = new StringBuffer();

    private NodeOrigin(Process process, int httpPort, int garbagePort) {
        this.process = process;
        this.httpPort = httpPort;
        this.garbagePort = garbagePort;
    }

    static NodeOrigin start() throws Exception {
        return launch();
    }

    /** The same origins with the HTTP one speaking HTTPS (and WSS) with this key and certificate (PEM files). */
    static NodeOrigin startTls(Path key, Path certificate) throws Exception {
        return launch(key.toAbsolutePath().toString(), certificate.toAbsolutePath().toString());
    }

    private static NodeOrigin launch(String... tls) throws Exception {
        ExternalClients.requireOrSkip("node");
        Path dir = ExternalClients.npmProject("origin");
        int http = PackagedServer.freePort();
        int garbage = PackagedServer.freePort();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("node", "origin.mjs",
                String.valueOf(http), String.valueOf(garbage)));
        command.addAll(java.util.List.of(tls));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        NodeOrigin origin = new NodeOrigin(process, http, garbage);
        CompletableFuture<Boolean> listening = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null;) {
                    origin.output.append(line).append('\n');
                    if (line.equals("listening")) {
                        listening.complete(true);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            listening.complete(false);
        });
        if (!listening.get(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the Node origin did not start:\n" + origin.output);
        }
        return origin;
    }

    /** What the origin printed so far. */
    String output() {
        return output.toString();
    }

    /** The HTTP origin's URL with a base path. */
    String url(String basePath) {
        return "http://127.0.0.1:" + httpPort + basePath;
    }

    /** The HTTPS origin's URL (of {@link #startTls}) by a host name, with a base path. */
    String httpsUrl(String host, String basePath) {
        return "https://" + host + ":" + httpPort + basePath;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
