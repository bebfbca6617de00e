package dev.edgesocket.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.edgesocket.testing.Eventually;

/**
 * A real {@code redis-server} (Debian's package; {@code src/test/setup/test-packages.sh} installs it) on a free loopback port, with
 * its data in a folder of its own and append-only persistence on, as production should run it. It can be
 * stopped and started again on the same port and data, to show what survives a Redis restart.
 */
final class RedisServer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final Path dir;
    final int port;
    private Process process;

    private RedisServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** True where the tests can run: the binary is there, or CI, where its absence is a failure. */
    static boolean available() {
        if (Files.isExecutable(BINARY)) {
            return true;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(BINARY + " is missing: src/test/setup/test-packages.sh must install the redis-server package");
        }
        return false;
    }

    static RedisServer start(Path dir) throws Exception {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RedisServer server = new RedisServer(dir, port);
        server.restart();
        return server;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server (again) on the same port and data folder, and waits until it answers PING. */
    void restart() throws Exception {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server is already running");
        }
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--dir", dir.toAbsolutePath().toString(), "--appendonly", "yes",
                "--appendfsync", "everysec", "--save", "", "--daemonize", "no", "--protected-mode", "yes",
                "--logfile", dir.resolve("redis.log").toAbsolutePath().toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        try {
            // Loading the append-only file answers -LOADING: wait until the data is back. An IOException: not
            // listening yet.
            Eventually.value("redis-server to answer PING with +PONG", Duration.ofSeconds(15), Duration.ofMillis(50), () -> {
                if (!process.isAlive()) { // an AssertionError ends the wait at once
                    throw new AssertionError("redis-server exited with " + process.exitValue() + ":\n" + log());
                }
                return command("PING");
            }, "+PONG"::equals);
        } catch (AssertionError e) {
            if (e.getMessage() != null && e.getMessage().startsWith("redis-server exited")) {
                throw e;
            }
            throw new AssertionError("redis-server did not answer within 15 s (" + e.getMessage() + "):\n" + log(), e);
        }
    }

    /** Stops the server as an operator would (SIGTERM: it writes its data and exits). */
    void stop() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    boolean running() {
        return process != null && process.isAlive();
    }

    /**
     * One command over a plain socket, for checks: a status or number as its line ("+PONG", ":3"), a
     * string as its content, a missing one as null.
     */
    String command(String... args) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            InputStream in = send(socket, args);
            String line = readLine(in);
            if (line.equals("$-1")) {
                return null;
            }
            return line.startsWith("$") ? readLine(in) : line;
        }
    }

    /** Writes one command in RESP and returns the stream its answer comes on. */
    private static InputStream send(Socket socket, String... args) throws IOException {
        socket.setSoTimeout(5000);
        StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
        for (String arg : args) {
            request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        return socket.getInputStream();
    }

    /** A command whose answer is a list of strings (PUBSUB CHANNELS, say). */
    List<String> commandList(String... args) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            InputStream in = send(socket, args);
            String header = readLine(in);
            if (!header.startsWith("*")) {
                throw new IOException("not a list: " + header);
            }
            List<String> items = new ArrayList<>();
            for (int i = Integer.parseInt(header.substring(1)); i > 0; i--) {
                readLine(in); // $length
                items.add(readLine(in));
            }
            return items;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
