package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Protocol conformance as the field measures it: our Autobahn-style client
 * ({@code src/test/interop/conformance/conformance.mjs}, Node's standard library only) against the packaged
 * server, once per dispatch mode, every case graded strictly by RFC 6455 and RFC 7692 (see
 * {@code docs/conformance.md}). The server runs the exact echo {@code mirror} in four zones: worker and
 * event-loop dispatch, each with and without permessage-deflate. Each run's report is kept in
 * {@code target/conformance-it/}.
 */
class ConformanceIT {

    private static final Path DIR = Path.of("target/conformance-it");
    private static final Path CLIENT = Path.of("src/test/interop/conformance");
    private static PackagedServer server;

    @BeforeAll
    static void startServer() throws Exception {
        ExternalClients.requireOrSkip("node");
        List<String> properties = new ArrayList<>();
        zone(properties, "conf-worker", "worker", false);
        zone(properties, "conf-loop", "event-loop", false);
        zone(properties, "conf-deflate", "worker", true);
        zone(properties, "conf-deflate-loop", "event-loop", true);
        server = PackagedServer.start(DIR.resolve("server.log"), properties.toArray(String[]::new)).awaitUp();
    }

    /** A zone serving the exact echo; the quotes around the zone name reach the JVM as they are (no shell). */
    private static void zone(List<String> properties, String name, String dispatch, boolean compression) {
        String prefix = "edgesocket.zones.\"" + name + "\".";
        properties.add(prefix + "path=/" + name);
        properties.add(prefix + "script=mirror");
        properties.add(prefix + "dispatch=" + dispatch);
        if (compression) {
            // The 12.x/13.x messages are at most 128 KiB; 1 MiB makes the inflation-bomb case cheap.
            properties.add(prefix + "websockets.compression=true");
            properties.add(prefix + "websockets.max-message-size=1M");
        } else {
            // 16 MiB messages (1.x/9.x), echoed whole: the send buffer must hold one.
            properties.add(prefix + "websockets.max-message-size=16M");
            properties.add(prefix + "websockets.max-buffered-amount=64M");
        }
        // 9.e1 sends 100,000 fragments and 9.e2 one more.
        properties.add(prefix + "websockets.max-fragments=100000");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void workerDispatchConforms() throws Exception {
        run("worker", "/conf-worker", "/conf-deflate");
    }

    @Test
    void eventLoopDispatchConforms() throws Exception {
        run("event-loop", "/conf-loop", "/conf-deflate-loop");
    }

    private static void run(String label, String zone, String deflateZone) throws Exception {
        Files.createDirectories(DIR);
        Path report = DIR.resolve(label + ".txt").toAbsolutePath();
        String output;
        try {
            // The client stops itself at its deadline, well before the IT's 5 minutes.
            output = ExternalClients.run(CLIENT, 240, "node", "conformance.mjs", server.uri("/").toString(), zone,
                    "--deflate", deflateZone, "--label", label, "--deadline", "150");
        } catch (AssertionError failed) {
            // The whole report is in the test's output and the file; the failure names the failing cases.
            Files.writeString(report, failed.getMessage());
            String failures = failed.getMessage().lines()
                    .filter(line -> line.startsWith("not ok") || line.matches("\\d+ passed, \\d+ failed"))
                    .collect(Collectors.joining("\n"));
            throw new AssertionError("conformance failures in " + label + " dispatch (report: " + report
                    + ", server log: " + DIR.resolve("server.log").toAbsolutePath() + ")\n" + failures, failed);
        }
        Files.writeString(report, output);
        assertTrue(output.contains(" passed, 0 failed"), output);
        // Hostile frames are the clients' fault: the server closes them and logs no ERROR about it.
        List<String> errors = server.output().lines().filter(line -> line.contains("\"level\":\"ERROR\"")).toList();
        assertTrue(errors.isEmpty(), "the server logged errors during the " + label + " run:\n" + String.join("\n", errors));
    }
}
