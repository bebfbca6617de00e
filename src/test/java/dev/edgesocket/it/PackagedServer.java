package dev.edgesocket.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.edgesocket.testing.Eventually;

/**
 * The packaged jar run as a separate process, for what a {@code @QuarkusIntegrationTest} cannot do:
 * restart it, or watch it refuse to start.
 */
final class PackagedServer implements AutoCloseable {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    private final Process process;
    private final Path log;
    final int port;

    private PackagedServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** The demo zones are off in a packaged server; most ITs exercise them, so they are turned on unless said. */
    static final String EXAMPLES_ON = "-Dedgesocket.examples.enabled=true";

    static PackagedServer start(Path log, String... systemProperties) throws IOException {
        return start(log, Map.of(), null, systemProperties);
    }

    /**
     * Starts the jar with extra environment variables and, unless null, in {@code workDir} (where Quarkus reads
     * {@code config/application.properties}), with the demo zones on.
     */
    static PackagedServer start(Path log, Map<String, String> env, Path workDir, String... systemProperties) throws IOException {
        return launch(log, env, workDir, true, systemProperties);
    }

    /** Starts the jar as it ships: no setting but the port, so the demo zones are off. */
    static PackagedServer startAsShipped(Path log) throws IOException {
        return launch(log, Map.of(), null, false);
    }

    private static PackagedServer launch(Path log, Map<String, String> env, Path workDir, boolean examples,
            String... systemProperties) throws IOException {
        int port = freePort();
        // The JDK that runs the tests (21 or newer, which ./mvnw picks), not whatever "java" is on the PATH.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Dquarkus.http.port=" + port));
        if (examples) {
            command.add(EXAMPLES_ON); // before the caller's, so that a test may still turn them off
        }
        for (String property : systemProperties) {
            command.add(property.startsWith("-") ? property : "-D" + property); // a JVM option as it is
        }
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        return new PackagedServer(builder.start(), log, port);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Waits until the server answers HTTP; fails if the process ends first. */
    PackagedServer awaitUp() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        try {
            Eventually.value("the server to answer HTTP", Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
                if (!process.isAlive()) { // an AssertionError ends the wait at once
                    throw new AssertionError("the server exited with " + process.exitValue() + ":\n" + output());
                }
                return client.send(HttpRequest.newBuilder(uri("/q/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()); // IOException: not listening yet
            }, response -> true);
        } catch (AssertionError e) {
            if (e.getMessage() != null && e.getMessage().startsWith("the server exited")) {
                throw e;
            }
            throw new AssertionError("the server did not answer within 60 s (" + e.getMessage() + "):\n" + output(), e);
        }
        return this;
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not exit within " + seconds + " s");
        }
        return process.exitValue();
    }

    /** Sends SIGTERM and returns at once. */
    void signalTerm() {
        process.destroy();
    }

    /** SIGKILL: the process dies at once, saying goodbye to no one. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not die within 30 s of SIGKILL");
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM, as Kubernetes sends it; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the server did not stop within 60 s after SIGTERM");
        }
        return process.exitValue();
    }

    /** Stops the server (SIGKILL) and fails if it logged an ERROR line meanwhile (its logs are JSON in prod). */
    void closeExpectingNoErrors() throws IOException {
        String log = output();
        close();
        org.junit.jupiter.api.Assertions.assertFalse(log.contains("\"level\":\"ERROR\""), log);
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
