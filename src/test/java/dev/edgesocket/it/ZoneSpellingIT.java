package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edgesocket.testing.WsClient;

/**
 * The packaged server overrides the Quickstart zone (defined quoted in application.properties) in every spelling
 * people write, from each source: system properties, environment variables and a config/application.properties in
 * the working directory. A zone whose name has dots works quoted. Spellings that cannot work stop the server with
 * a sentence giving the right one. And the dev profile's admin key is not a key of the packaged app.
 */
class ZoneSpellingIT {

    private static final Path DIR = Path.of("target/zone-spelling-it").toAbsolutePath();
    private static final String KEY = "it-key";
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> get(PackagedServer server, String path, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri(path)).header("AccessKey", key).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode settings(PackagedServer server, String zone) throws Exception {
        HttpResponse<String> response = get(server, "/api/zones/" + zone, KEY);
        assertEquals(200, response.statusCode(), response.body());
        return json.readTree(response.body()).get("websockets");
    }

    private static void echoes(PackagedServer server, String path) {
        try (WsClient client = WsClient.connect(server.uri("/"), path)) {
            client.send("spelled");
            client.expectText("Echo: spelled");
        }
    }

    @Test
    void systemPropertiesInEverySpelling() throws Exception {
        try (PackagedServer server = PackagedServer.start(DIR.resolve("sysprops.log"), "edgesocket.admin.api-key=" + KEY,
                "edgesocket.zones.echo.path=/echo-d", "edgesocket.zones.echo.websockets.max-idle=6s",
                "edgesocket.zones.\"echo\".websockets.max-connections=77",
                "edgesocket.zones.\"chat.v2\".path=/chat-v2", "edgesocket.zones.\"chat.v2\".script=echo",
                "edgesocket.zones.\"chat.v2\".websockets.max-idle=5s").awaitUp()) {
            JsonNode echo = settings(server, "echo");
            assertEquals(6, echo.get("maxIdle").asInt(), "bare: " + echo);
            assertEquals(77, echo.get("maxConnections").asInt(), "quoted: " + echo);
            assertEquals(5, settings(server, "chat.v2").get("maxIdle").asInt(), "a dotted zone name, quoted");
            echoes(server, "/echo-d"); // the bare path beats application.properties' quoted one
            echoes(server, "/chat-v2");
            assertFalse(server.output().contains("SRCFG"), server.output());
        }
    }

    @Test
    void environmentVariablesInEverySpelling() throws Exception {
        Map<String, String> env = Map.of(
                "EDGESOCKET_ZONES_ECHO_WEBSOCKETS_MAX_IDLE", "7s",
                "EDGESOCKET_ZONES_ECHO_PATH", "/echo-env",
                "EDGESOCKET_ZONES__ECHO__WEBSOCKETS_MAX_CONNECTIONS", "78",
                "EDGESOCKET_ZONES__CHAT_V2__WEBSOCKETS_MAX_IDLE", "4s");
        try (PackagedServer server = PackagedServer.start(DIR.resolve("env.log"), env, null, "edgesocket.admin.api-key=" + KEY,
                "edgesocket.zones.\"chat.v2\".path=/chat-v2", "edgesocket.zones.\"chat.v2\".script=echo").awaitUp()) {
            JsonNode echo = settings(server, "echo");
            assertEquals(7, echo.get("maxIdle").asInt(), "EDGESOCKET_ZONES_ECHO_*: " + echo);
            assertEquals(78, echo.get("maxConnections").asInt(), "EDGESOCKET_ZONES__ECHO__*: " + echo);
            assertEquals(4, settings(server, "chat.v2").get("maxIdle").asInt(), "EDGESOCKET_ZONES__CHAT_V2__*");
            echoes(server, "/echo-env");
        }
    }

    @Test
    void applicationPropertiesInEverySpellingBelowSystemProperties() throws Exception {
        Path workDir = DIR.resolve("workdir");
        Files.createDirectories(workDir.resolve("config"));
        Files.writeString(workDir.resolve("config/application.properties"), """
                edgesocket.zones.echo.path=/echo-file
                edgesocket.zones.echo.websockets.max-idle=8s
                edgesocket.zones."echo".websockets.max-connections=79
                %prod.edgesocket.zones.echo.websockets.max-fragments=100
                edgesocket.zones."echo".websockets.max-message-size=2K
                edgesocket.zones."chat.v2".path=/chat-v2
                edgesocket.zones."chat.v2".script=echo
                """);
        try (PackagedServer server = PackagedServer.start(DIR.resolve("file.log"), Map.of(), workDir,
                "edgesocket.admin.api-key=" + KEY, "edgesocket.zones.echo.websockets.max-message-size=3K").awaitUp()) {
            JsonNode echo = settings(server, "echo");
            assertEquals(8, echo.get("maxIdle").asInt(), "bare: " + echo);
            assertEquals(79, echo.get("maxConnections").asInt(), "quoted: " + echo);
            assertEquals(100, echo.get("maxFragments").asInt(), "bare, in a profile: " + echo);
            assertEquals(3072, echo.get("maxMessageSize").asInt(), "a system property beats the file, whatever the spellings");
            echoes(server, "/chat-v2");
            echoes(server, "/echo-file"); // the file's bare path beats the packaged application.properties' quoted one
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-Dedgesocket.zones.chat.v2.path=/chat-v2 | a zone name with dots must be quoted. Write edgesocket.zones.\"chat.v2\".path",
            "-Dedgesocket.zones.echo.websockets.max-idel=6s | is not a zone setting: did you mean edgesocket.zones.\"echo\".websockets.max-idle?",
            "-Dedgesocket.zones.ecoh.websockets.max-idle=6s | configures a zone \"ecoh\" that has no path, so there is no such zone. Did you mean the zone \"echo\": edgesocket.zones.\"echo\".websockets.max-idle?",
            "EDGESOCKET_ZONES_ECOH_WEBSOCKETS_MAX_IDLE=6s | EDGESOCKET_ZONES_ECOH_WEBSOCKETS_MAX_IDLE (environment) configures a zone \"ecoh\" that has no path",
            "EDGESOCKET_ZONES_ECHO_WEBSOCKETS_MAX_IDEL=6s | EDGESOCKET_ZONES_ECHO_WEBSOCKETS_MAX_IDEL (environment) is not a zone setting: did you mean EDGESOCKET_ZONES_ECHO_WEBSOCKETS_MAX_IDLE?",
    })
    void aSpellingThatCannotWorkStopsTheServerWithTheRightOne(String setting, String sentence) throws Exception {
        boolean fromEnv = !setting.startsWith("-D");
        String[] nameValue = setting.split("=", 2);
        Map<String, String> env = fromEnv ? Map.of(nameValue[0], nameValue[1]) : Map.of();
        String[] props = fromEnv ? new String[0] : new String[] {setting};
        try (PackagedServer server = PackagedServer.start(DIR.resolve("refused-" + Math.abs(setting.hashCode()) + ".log"), env,
                null, props)) {
            assertNotEquals(0, server.awaitExit(60), "the server refuses to start");
            assertTrue(server.output().contains(sentence), server.output());
        }
    }

    /** The dev profile's key (application.properties, {@code %dev.}) opens nothing in the packaged app. */
    @Test
    void theDevKeyIsNotActiveInThePackagedApp() throws Exception {
        Properties app = new Properties();
        try (InputStream in = ZoneSpellingIT.class.getClassLoader().getResourceAsStream("application.properties")) {
            app.load(in);
        }
        String devKey = app.getProperty("%dev.edgesocket.admin.api-key");
        assertTrue(devKey != null && !devKey.isBlank(), "the dev profile sets a key");
        try (PackagedServer server = PackagedServer.start(DIR.resolve("no-key.log")).awaitUp()) {
            HttpResponse<String> refused = get(server, "/api/zones", devKey);
            assertEquals(401, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("The admin API is off: the server has no API key"), refused.body());
            assertFalse(server.output().contains(devKey), "the packaged app prints no dev key");
        }
        try (PackagedServer server = PackagedServer.start(DIR.resolve("own-key.log"), "edgesocket.admin.api-key=" + KEY).awaitUp()) {
            assertEquals(401, get(server, "/api/zones", devKey).statusCode(), "nor does it beside the operator's key");
            assertEquals(200, get(server, "/api/zones", KEY).statusCode());
        }
    }
}
