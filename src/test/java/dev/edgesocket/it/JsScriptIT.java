package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

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
