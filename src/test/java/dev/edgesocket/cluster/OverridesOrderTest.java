package dev.edgesocket.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.edgesocket.testing.Eventually;

/**
 * Issue 19, item 8: the cluster's settings replies are applied in the order Redis made them, not the order they
 * arrive. The scripts run on a real redis-server (Debian's; the build installs it); the node's side is
 * {@link OverridesVersions}, which RedisSettingsStore asks before every apply.
 */
class OverridesOrderTest {

    private static final Path REDIS = Path.of("/usr/bin/redis-server");
    private static final String PREFIX = "t:";
    private static final String HASH = PREFIX + "zone:echo:overrides";

    @TempDir
    static Path dir;
    private static Process redis;
    private static int port;

    @BeforeAll
    static void startRedis() throws Exception {
        if (!Files.isExecutable(REDIS) && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(REDIS + " is missing: src/test/setup/test-packages.sh must install the redis-server package");
        }
        assumeTrue(Files.isExecutable(REDIS), "redis-server is not installed");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis = new ProcessBuilder(REDIS.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            // An IOException: not listening yet.
            Eventually.value("redis-server to answer PING", Duration.ofSeconds(6), () -> call("PING"), "PONG"::equals);
        } catch (AssertionError e) {
            throw new AssertionError("redis-server did not start (" + e.getMessage() + "): "
                    + Files.readString(dir.resolve("redis.log")), e);
        }
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroy();
            redis.waitFor();
        }
    }

    private static List<?> overrides() throws IOException {
        return (List<?>) call("EVAL", Lua.OVERRIDES.text(), "0", PREFIX, "echo");
    }

    private static List<?> change(String setting, String value) throws IOException {
        return (List<?>) call("EVAL", Lua.CHANGE.text(), "1", HASH, PREFIX + "settings", "echo", "false", setting, value);
    }

    @Test
    void aReadMadeBeforeAChangeIsNotLaidBackOnAfterIt() throws Exception {
        call("DEL", HASH);
        OverridesVersions versions = new OverridesVersions();

        // A re-read leaves Redis, then another node changes the zone; its notification arrives first.
        List<?> read = overrides();
        assertEquals("echo", read.get(0));
        assertEquals("{}", read.get(1));
        long readVersion = Long.parseLong((String) read.get(2));
        List<?> changed = change("maxConnections", "5");
        assertEquals("{\"maxConnections\":5}", changed.get(0));
        long changeVersion = Long.parseLong((String) changed.get(1));
        assertTrue(changeVersion > readVersion, changeVersion + " after " + readVersion);

        assertTrue(versions.isNewer("echo", changeVersion, (String) changed.get(0)));
        versions.applied("echo", changeVersion, (String) changed.get(0));
        assertFalse(versions.isNewer("echo", readVersion, "{}"), "the older read does not undo the change");
        assertFalse(versions.isNewer("echo", changeVersion, (String) changed.get(0)), "the change's own answer, again");

        // The next re-read carries the change's version and content: nothing to do either.
        List<?> again = overrides();
        assertEquals(changed.get(0), again.get(1));
        assertEquals(changeVersion, Long.parseLong((String) again.get(2)));
        assertFalse(versions.isNewer("echo", changeVersion, (String) again.get(1)));

        // Two changes in a row: versions grow even within one microsecond.
        long next = Long.parseLong((String) change("maxIdle", "60").get(1));
        long after = Long.parseLong((String) change("maxIdle", "61").get(1));
        assertTrue(after > next && next > changeVersion);
    }

    @Test
    void aRedisThatLostItsDataTurnsZonesBackToTheirBaseline() throws Exception {
        call("DEL", HASH);
        OverridesVersions versions = new OverridesVersions();
        List<?> changed = change("maxConnections", "7");
        long changeVersion = Long.parseLong((String) changed.get(1));
        versions.applied("echo", changeVersion, (String) changed.get(0));

        call("DEL", HASH); // Redis restarted empty
        List<?> read = overrides();
        assertEquals("{}", read.get(1));
        long readVersion = Long.parseLong((String) read.get(2));
        assertTrue(versions.isNewer("echo", readVersion, "{}"), "docs/cluster.md: back to the baseline at the next sync");
        assertTrue(readVersion > changeVersion);
    }

    // ------------------------------------------------------------------ a minimal RESP client

    private static Object call(String... args) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    private static Object read(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        switch (type) {
            case '+', ':':
                return line;
            case '-':
                throw new IOException("Redis answered an error: " + line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected reply type " + (char) type);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            line.append((char) c);
        }
        in.read(); // '\n'
        return line.toString();
    }
}
