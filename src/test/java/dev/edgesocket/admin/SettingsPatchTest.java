package dev.edgesocket.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgesocket.zone.ZoneSettings;

/**
 * {@link SettingsPatch} by example: the sentence for each kind of wrong value (the config API's 400 answers
 * carry them word for word), what a valid change applies, and the JSON a zone's settings are shown as.
 * {@link SettingsPatchProperties} checks the same rules on generated bodies.
 */
class SettingsPatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneSettings BASE = new ZoneSettings(true, List.of("chat"), Duration.ofSeconds(30),
            Duration.ofMinutes(5), 100, 65536, 4 << 20, 16384, false, List.of(), false);

    private static final String SECONDS = "must be a number of seconds, 0 or more, to the millisecond (such as 30 or 1.5)";

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The problem of one field, or null. */
    private static String problem(String field, String value) {
        Map<String, String> problems = SettingsPatch.problems(json("{\"" + field + "\": " + value + "}"));
        return problems.get("websockets." + field);
    }

    @Test
    void somethingOtherThanAnObjectIsOneProblem() {
        assertEquals(Map.of("websockets", "must be an object of settings"), SettingsPatch.problems(null));
        assertEquals(Map.of("websockets", "must be an object of settings"), SettingsPatch.problems(json("[]")));
        assertEquals(Map.of("websockets", "must be an object of settings"), SettingsPatch.problems(json("\"enabled\"")));
        assertEquals(Map.of(), SettingsPatch.problems(json("{}")));
    }

    @Test
    void anUnknownFieldNamesEverySetting() {
        String sentence = "is not a setting; the settings are enabled, subprotocols, idleTimeout, maxIdle, maxConnections, "
                + "maxMessageSize, maxBufferedAmount, maxFragments, compression, allowedOrigins, requireOrigin";
        assertEquals(sentence, problem("path", "\"/x\""));
        assertEquals(sentence, problem("max-idle", "30"), "the property's spelling is not the API's");
        assertEquals(sentence, problem("Enabled", "true"), "names are case-sensitive");
    }

    @Test
    void switches() {
        for (String field : List.of("enabled", "compression", "requireOrigin")) {
            assertEquals(null, problem(field, "true"));
            assertEquals(null, problem(field, "false"));
            assertEquals("must be true or false", problem(field, "\"true\""), field);
            assertEquals("must be true or false", problem(field, "1"), field);
            assertEquals("must be true or false", problem(field, "null"), field);
        }
    }

    @Test
    void subprotocols() {
        assertEquals(null, problem("subprotocols", "[]"));
        assertEquals(null, problem("subprotocols", "[\"chat\", \"v2.json\", \"x~y\"]"));
        assertEquals("must be a list of subprotocol names", problem("subprotocols", "\"chat\""));
        String token = "every subprotocol must be a non-empty name without spaces, commas or quotes";
        assertEquals(token, problem("subprotocols", "[\"\"]"));
        assertEquals(token, problem("subprotocols", "[\"a b\"]"));
        assertEquals(token, problem("subprotocols", "[\"a,b\"]"));
        assertEquals(token, problem("subprotocols", "[\"chat\", 1]"));
        assertEquals(token, problem("subprotocols", "[\"é\"]"));
    }

    @Test
    void durationsAreSecondsToTheMillisecond() {
        for (String field : List.of("idleTimeout", "maxIdle")) {
            assertEquals(null, problem(field, "0"));
            assertEquals(null, problem(field, "1.5"));
            assertEquals(null, problem(field, "0.001"));
            assertEquals(null, problem(field, "2147483647"));
            assertEquals(SECONDS, problem(field, "\"30s\""), field);
            assertEquals(SECONDS + ", got -1", problem(field, "-1"), field);
            assertEquals(SECONDS + ", got 1.2345", problem(field, "1.2345"), field);
            assertEquals(SECONDS + ", got 2147483648", problem(field, "2147483648"), field);
            assertEquals(SECONDS + ", got Infinity", problem(field, "1e999"), field);
        }
    }

    @Test
    void wholeNumbersSayTheirRange() {
        assertEquals(null, problem("maxConnections", "0"));
        assertEquals("must be a whole number, 0 or more, got -1", problem("maxConnections", "-1"));
        assertEquals("must be a whole number, 0 or more", problem("maxConnections", "1.5"));
        assertEquals("must be a whole number, 0 or more, got 2147483648", problem("maxConnections", "2147483648"));

        assertEquals(null, problem("maxMessageSize", "2147483647"));
        assertEquals("must be a whole number of bytes from 1 to 2147483647, got 0", problem("maxMessageSize", "0"));
        assertEquals("must be a whole number of bytes from 1 to 2147483647, got 2147483648",
                problem("maxMessageSize", "2147483648"));
        assertEquals("must be a whole number of bytes from 1 to 2147483647", problem("maxMessageSize", "\"1M\""));

        assertEquals(null, problem("maxBufferedAmount", "9223372036854775807"));
        assertEquals("must be a whole number of bytes, 1 or more, got 0", problem("maxBufferedAmount", "0"));
        assertEquals("must be a whole number of bytes, 1 or more", problem("maxBufferedAmount", "9223372036854775808"));

        assertEquals(null, problem("maxFragments", "1"));
        assertEquals("must be a whole number of frames from 1 to 2147483647, got 0", problem("maxFragments", "0"));
        assertEquals("must be a whole number of frames from 1 to 2147483647", problem("maxFragments", "1e2"));
    }

    @Test
    void allowedOriginsUseTheOriginPolicysSentences() {
        assertEquals(null, problem("allowedOrigins", "[]"));
        assertEquals(null, problem("allowedOrigins", "[\"*\", \"https://app.example.com\", \"https://*.example.com:8443\"]"));
        assertEquals("must be a list of origins such as [\"https://app.example.com\", \"https://*.example.com\"]",
                problem("allowedOrigins", "\"https://app.example.com\""));
        assertEquals("every allowed origin must be a string", problem("allowedOrigins", "[1]"));
        assertEquals("'app.example.com' is not an origin such as https://app.example.com or https://*.example.com",
                problem("allowedOrigins", "[\"app.example.com\"]"));
        assertEquals("an allowed origin must not be empty", problem("allowedOrigins", "[\"https://a.example\", \" \"]"));
    }

    @Test
    void everyWrongFieldIsReportedInTheOrderSent() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("websockets.maxFragments", "must be a whole number of frames from 1 to 2147483647, got 0");
        expected.put("websockets.nope", SettingsPatch.problems(json("{\"nope\": 1}")).get("websockets.nope"));
        expected.put("websockets.enabled", "must be true or false");
        Map<String, String> problems = SettingsPatch.problems(
                json("{\"maxFragments\": 0, \"compression\": true, \"nope\": 1, \"enabled\": \"no\"}"));
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(problems.entrySet()));
    }

    @Test
    void applyChangesOnlyTheFieldsSent() {
        assertEquals(BASE, SettingsPatch.apply(BASE, json("{}")));
        ZoneSettings changed = SettingsPatch.apply(BASE, json("{\"enabled\": false, \"maxIdle\": 1.5, "
                + "\"maxBufferedAmount\": 9223372036854775807, \"allowedOrigins\": [\"https://*.example.com\"]}"));
        assertEquals(new ZoneSettings(false, List.of("chat"), Duration.ofSeconds(30), Duration.ofMillis(1500), 100, 65536,
                Long.MAX_VALUE, 16384, false, List.of("https://*.example.com"), false), changed);
        ZoneSettings all = SettingsPatch.apply(BASE, json("{\"enabled\": false, \"subprotocols\": [], \"idleTimeout\": 0.25, "
                + "\"maxIdle\": 0, \"maxConnections\": 0, \"maxMessageSize\": 1, \"maxBufferedAmount\": 2, "
                + "\"maxFragments\": 3, \"compression\": true, \"allowedOrigins\": [\"*\"], \"requireOrigin\": true}"));
        assertEquals(new ZoneSettings(false, List.of(), Duration.ofMillis(250), Duration.ZERO, 0, 1, 2, 3, true,
                List.of("*"), true), all);
    }

    /** GET's JSON: every setting, in this order, durations as seconds (whole ones without a fraction). */
    @Test
    void theViewIsTheApisJson() throws Exception {
        assertEquals("{\"enabled\":true,\"subprotocols\":[\"chat\"],\"idleTimeout\":30,\"maxIdle\":300,"
                + "\"maxConnections\":100,\"maxMessageSize\":65536,\"maxBufferedAmount\":4194304,\"maxFragments\":16384,"
                + "\"compression\":false,\"allowedOrigins\":[],\"requireOrigin\":false}",
                JSON.writeValueAsString(WebSocketsView.of(BASE)));
        ZoneSettings fractions = SettingsPatch.apply(BASE, json("{\"idleTimeout\": 1.5, \"maxIdle\": 0.001}"));
        JsonNode shown = JSON.valueToTree(WebSocketsView.of(fractions));
        assertEquals("1.5", shown.get("idleTimeout").asText());
        assertEquals("0.001", shown.get("maxIdle").asText());
    }

    /** Stored overrides (state file, Redis) keep a field per setting changed: a later change of one keeps the rest. */
    @Test
    void mergeLaysTheChangeOverEarlierOnes() {
        ObjectNode earlier = (ObjectNode) json("{\"enabled\": false, \"maxIdle\": 10}");
        ObjectNode merged = SettingsPatch.merge(earlier, json("{\"maxIdle\": 20, \"compression\": true}"));
        assertEquals(json("{\"enabled\": false, \"maxIdle\": 20, \"compression\": true}"), merged);
        assertEquals(json("{\"enabled\": false, \"maxIdle\": 10}"), earlier, "the earlier overrides are not changed");
    }

    @Test
    void theFieldsAreTheApisNames() {
        assertEquals(List.of("enabled", "subprotocols", "idleTimeout", "maxIdle", "maxConnections", "maxMessageSize",
                "maxBufferedAmount", "maxFragments", "compression", "allowedOrigins", "requireOrigin"), SettingsPatch.FIELDS);
    }
}
