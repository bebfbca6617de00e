package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.WsClient;

/**
 * JavaScript zones from {@code file:} scripts in the packaged server: a script a team brings runs, and a broken
 * one stops the server at start with its file, line and message.
 */
class JsScriptIT {

    private static final Path DIR = Path.of("target/js-script-it").toAbsolutePath();


    private static PackagedServer start(String log, String name, Path script) throws Exception {
        return PackagedServer.start(DIR.resolve(log), "edgesocket.zones.\"" + name + "\".path=/" + name,
                "edgesocket.zones.\"" + name + "\".script=file:" + script);
    }

    @Test
    void aScriptFileRunsUnchanged() throws Exception {
        Files.createDirectories(DIR);
        Path script = Files.writeString(DIR.resolve("upper.js"), """
                import * as BunnySDK from "@bunny.net/edgescript-sdk";
                BunnySDK.net.http.serve((request) => {
                  const { response, socket } = request.upgradeWebSocket();
                  socket.onmessage = (event) => socket.send(String(event.data).toUpperCase());
                  return response;
                });
                """);
        try (PackagedServer server = start("upper.log", "upper", script).awaitUp();
                WsClient client = WsClient.connect(URI.create("http://127.0.0.1:" + server.port + "/"), "/upper")) {
            client.send("shout");
            client.expectText("SHOUT");
        }
    }

    /** README's compiled start command: the Graal compiler on the upgrade module path (JDK 25.0.2 or newer). */
    @Test
    void theCompiledModeRunsTheTypeScriptEcho() throws Exception {
        Runtime.Version version = Runtime.version();
        Assumptions.assumeTrue(version.feature() > 25 || (version.feature() == 25 && version.update() >= 2),
                "the Graal compiler 25.0.2 needs the JVMCI of JDK 25.0.2 or newer; this is " + version);
        try (PackagedServer server = PackagedServer.start(DIR.resolve("compiled.log"), "-XX:+UnlockExperimentalVMOptions",
                "-XX:+EnableJVMCI", "--upgrade-module-path=target/graal-compiler").awaitUp();
                WsClient client = WsClient.connect(URI.create("http://127.0.0.1:" + server.port + "/"), "/echo-ts")) {
            for (int i = 0; i < 2000; i++) {
                client.send("hot " + i);
                client.expectText("Echo: hot " + i);
            }
            assertTrue(server.output().contains("(GraalVM CE)"), "compiled, not interpreted:\n" + server.output());
        }
    }

    /**
     * Issue 19, item 5: another local user who creates {@code ${java.io.tmpdir}/edgesocket-ts-cache} first, open to
     * all, and puts code under the names the server will look up, never gets it run. The names are not computed
     * here: a first server with a cache of its own writes them, and they are then planted, with other code, in a
     * directory that belongs to someone else (nobody, where the tests may change owners) and that anyone may write.
     */
    @Test
    void aPlantedTranspileCacheNeverRuns() throws Exception {
        Path own = DIR.resolve("tmp-own");
        Path planted = DIR.resolve("tmp-planted");
        deleteTree(own);
        deleteTree(planted);
        Files.createDirectories(own);
        Files.createDirectories(planted);
        Path script = Files.writeString(DIR.resolve("upper.ts"), """
                import * as BunnySDK from "@bunny.net/edgescript-sdk";
                BunnySDK.net.http.serve((request: Request) => {
                  const { response, socket } = request.upgradeWebSocket();
                  socket.onmessage = (event: MessageEvent) => socket.send(String(event.data).toUpperCase());
                  return response;
                });
                """);
        String[] zone = { "edgesocket.zones.\"upper\".path=/upper", "edgesocket.zones.\"upper\".script=file:" + script };

        // 1. A cache of the server's own: it transpiles and stores the entries.
        try (PackagedServer server = PackagedServer.start(DIR.resolve("cache-own.log"),
                concat("java.io.tmpdir=" + own, zone)).awaitUp()) {
            assertShouts(server, "SHOUT");
        }
        Path ownCache = own.resolve("edgesocket-ts-cache");
        List<Path> entries;
        try (Stream<Path> files = Files.list(ownCache)) {
            entries = files.filter(f -> f.toString().endsWith(".js") || f.toString().endsWith(".map")).toList();
        }
        assertFalse(entries.isEmpty(), "the server stored what it transpiled");

        // 2. The same names, other code, in a directory someone else made first and anyone may write.
        Path plantedCache = Files.createDirectory(planted.resolve("edgesocket-ts-cache"));
        int changed = 0;
        for (Path entry : entries) {
            String text = Files.readString(entry);
            String evil = text.replace("String(event.data).toUpperCase()", "\"planted code\"");
            if (!evil.equals(text)) {
                changed++;
                text = evil;
            }
            Path file = Files.writeString(plantedCache.resolve(entry.getFileName()), text);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        assertEquals(1, changed, "the plant replaces upper.ts's code (the others are the examples'): " + entries);
        Files.setPosixFilePermissions(plantedCache, PosixFilePermissions.fromString("rwxrwxrwx"));
        boolean otherOwner = giveToNobody(plantedCache);
        try (PackagedServer server = PackagedServer.start(DIR.resolve("cache-planted.log"),
                concat("java.io.tmpdir=" + planted, zone)).awaitUp()) {
            assertShouts(server, "SHOUT");
            String log = server.output();
            assertTrue(log.contains("TypeScript is transpiled without a cache") && log.contains(
                    otherOwner ? "belongs to nobody" : "may be written by other users"), log);
        }

        // 3. The server's own cache is still used: no transpiling on a restart.
        try (PackagedServer server = PackagedServer.start(DIR.resolve("cache-own-again.log"),
                concat("java.io.tmpdir=" + own, zone)).awaitUp()) {
            assertShouts(server, "SHOUT");
            assertFalse(server.output().contains("Transpiled"), server.output());
        }
    }

    private static void assertShouts(PackagedServer server, String expected) throws Exception {
        try (WsClient client = WsClient.connect(URI.create("http://127.0.0.1:" + server.port + "/"), "/upper")) {
            client.send("shout");
            client.expectText(expected);
        }
    }

    /** Hands the directory and its files to the user nobody, where this process may (as root); false otherwise. */
    private static boolean giveToNobody(Path dir) throws IOException {
        try {
            UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.setOwner(file, nobody);
                }
            }
            Files.setOwner(dir, nobody);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false; // not root: the directory open to all is what the server must refuse
        }
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    void aSyntaxErrorStopsTheServerWithFileLineAndMessage() throws Exception {
        Files.createDirectories(DIR);
        Path script = Files.writeString(DIR.resolve("broken.ts"), """
                import * as BunnySDK from "@bunny.net/edgescript-sdk";

                BunnySDK.net.http.serve(async (request: Request) => {
                  const x: number = (1 + ;
                  return new Response("no");
                });
                """);
        try (PackagedServer server = start("broken.log", "broken", script)) {
            assertNotEquals(0, server.awaitExit(90), "the server refuses to start");
            assertTrue(server.output().contains("broken.ts:4:"), server.output());
            assertTrue(server.output().contains("Expression expected"), server.output());
        }
    }

    @Test
    void aScriptThatNeverServesStopsTheServer() throws Exception {
        Files.createDirectories(DIR);
        Path script = Files.writeString(DIR.resolve("idle.js"), "console.log('loaded, but serving nothing');\n");
        try (PackagedServer server = start("idle.log", "idle", script)) {
            assertNotEquals(0, server.awaitExit(90), "the server refuses to start");
            assertTrue(server.output().contains("never calls BunnySDK.net.http.serve(handler)"), server.output());
        }
    }

    @Test
    void aMissingFileStopsTheServer() throws Exception {
        try (PackagedServer server = start("missing.log", "missing", DIR.resolve("nowhere.ts"))) {
            assertNotEquals(0, server.awaitExit(90), "the server refuses to start");
            assertTrue(server.output().contains("nowhere.ts cannot be read"), server.output());
        }
    }
}
