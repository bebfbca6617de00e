package dev.edgesocket.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edgesocket.testing.Fuzz;
import dev.edgesocket.testing.Fuzz.Draw;
import dev.edgesocket.zone.OriginPolicy;
import dev.edgesocket.zone.ZoneSettings;

/**
 * {@link SettingsPatch}, the config API's check of a PATCH body, on JSON texts parsed the way a request's body is.
 * Whatever the body, the answer is a list of problems (400 with one sentence per field), never an exception
 * (500); a body without problems applies exactly what it says.
 */
class SettingsPatchProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneSettings BASE = new ZoneSettings(true, List.of("chat"), Duration.ofSeconds(30),
            Duration.ofMinutes(5), 100, 65536, 4 << 20, 16384, false, List.of(), false);

    /** A JSON number as a client may write one: whole, negative, huge, fractional, with an exponent. */
    static String number(Draw d) {
        return switch (d.between(0, 6)) {
            case 0 -> Integer.toString(d.between(-3, 100));
            case 1 -> Long.toString(d.longBetween(Long.MIN_VALUE, Long.MAX_VALUE));
            case 2 -> d.pick("2147483647", "2147483648", "9223372036854775807", "9223372036854775808",
                    "-9223372036854775809", "123456789012345678901234567890", "-0", "0.0", "1.0", "30.000");
            case 3 -> d.between(0, 100) + "." + d.pick("5", "25", "125", "0625", "999", "0001");
            case 4 -> d.pick("1e999", "-1e999", "1E-400", "1e2", "1.5e3", "1e-3", "1e-4", "2.5E+1", "4.9e-324",
                    "1.7976931348623157e308", "2147483647.999", "2147483648.0");
            case 5 -> d.longBetween(0, 3_000_000_000L) + "";
            default -> Integer.toString(d.between(0, Integer.MAX_VALUE));
        };
    }

    static String string(Draw d) {
        return "\"" + d.pick("", " ", "chat", "a b", "x,y", "https://app.example.com", "https://*.example.com",
                "http://*.", "*", "ws://h:8080", "https://a.example.com/path", "https://*.*.example.com", "\\u0000",
                "\\ud800", "\\\"", "é") + "\"";
    }

    /** Any JSON value, nested a little. */
    static String value(Draw d, int depth) {
        int kind = d.between(0, depth > 2 ? 4 : 6);
        return switch (kind) {
            case 0, 1 -> number(d);
            case 2 -> string(d);
            case 3 -> d.pick("true", "false");
            case 4 -> "null";
            case 5 -> {
                List<String> items = new ArrayList<>();
                int n = d.between(0, 3);
                for (int i = 0; i < n; i++) {
                    items.add(d.bool() ? string(d) : value(d, depth + 1));
                }
                yield "[" + String.join(",", items) + "]";
            }
            default -> object(d, depth + 1);
        };
    }

    static String object(Draw d, int depth) {
        List<String> fields = new ArrayList<>();
        int n = d.between(0, 5);
        for (int i = 0; i < n; i++) {
            String name = d.oneIn(5) ? d.pick("", "Enabled", "max_idle", "websockets", "path", "idle-timeout")
                    : d.pick(SettingsPatch.FIELDS);
            fields.add("\"" + name + "\":" + value(d, depth));
        }
        return "{" + String.join(",", fields) + "}";
    }

    /** A websockets object most of the time; sometimes some other JSON value. */
    static final Gen<String> BODIES = Fuzz.gen(d -> d.oneIn(8) ? value(d, 0) : object(d, 0));

    @Test
    void anyBodyGetsProblemsOrAppliesExactly() {
        Fuzz.qt(1000).forAll(BODIES).checkAssert(text -> {
            JsonNode body = parse(text);
            Map<String, String> problems = SettingsPatch.problems(body);
            for (Map.Entry<String, String> p : problems.entrySet()) {
                // One sentence per field, for a person: never blank, never a Java exception's text.
                assertTrue(p.getKey().equals("websockets") || p.getKey().startsWith("websockets."), p.toString());
                assertFalse(p.getValue().isBlank(), p.toString());
                assertFalse(p.getValue().contains("Exception"), p.toString());
            }
            if (!body.isObject()) {
                assertEquals(Map.of("websockets", "must be an object of settings"), problems);
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                assertEquals(valid(field.getKey(), field.getValue()), !problems.containsKey("websockets." + field.getKey()),
                        field.toString());
            }
            if (problems.isEmpty()) {
                ZoneSettings applied = SettingsPatch.apply(BASE, body);
                WebSocketsView view = WebSocketsView.of(applied);
                JsonNode shown = JSON.valueToTree(view);
                JsonNode base = JSON.valueToTree(WebSocketsView.of(BASE));
                for (String name : SettingsPatch.FIELDS) {
                    JsonNode want = body.has(name) ? body.get(name) : base.get(name);
                    assertTrue(sameValue(want, shown.get(name)), name + ": sent " + want + ", applied " + shown.get(name));
                }
            }
        });
    }

    /** Any valid settings, shown as GET shows them, are a valid PATCH that gives back the same settings. */
    @Test
    void validSettingsRoundTrip() {
        Gen<ZoneSettings> settings = Fuzz.gen(d -> new ZoneSettings(d.bool(),
                d.bool() ? List.of() : List.of(d.pick("chat", "v2.json", "a_b-c", "x~y"), "mqtt"),
                Duration.ofMillis(d.longBetween(0, Integer.MAX_VALUE * 1000L)),
                Duration.ofMillis(d.bool() ? d.between(0, 10_000) * 1000L : d.longBetween(0, 86_400_000)),
                d.between(0, Integer.MAX_VALUE), d.longBetween(1, Integer.MAX_VALUE), d.longBetween(1, Long.MAX_VALUE),
                d.between(1, Integer.MAX_VALUE), d.bool(),
                d.bool() ? List.of() : List.of(d.pick("*", "https://app.example.com", "https://*.example.com:8443")),
                d.bool()));
        Fuzz.qt(500).forAll(settings).checkAssert(s -> {
            JsonNode patch = parse(write(WebSocketsView.of(s)));
            assertEquals(Map.of(), SettingsPatch.problems(patch));
            assertEquals(s, SettingsPatch.apply(BASE, patch));
        });
    }

    /** The fields' rules as the API documents them (docs/api.md), written independently of SettingsPatch. */
    static boolean valid(String name, JsonNode v) {
        return switch (name) {
            case "enabled", "compression", "requireOrigin" -> v.isBoolean();
            case "subprotocols" -> v.isArray() && all(v, item -> item.isTextual() && item.asText().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+"));
            case "allowedOrigins" -> v.isArray() && all(v, item -> item.isTextual() && OriginPolicy.problem(item.asText()) == null);
            case "idleTimeout", "maxIdle" -> {
                BigDecimal s = exact(v);
                yield s != null && s.signum() >= 0 && s.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0
                        && s.stripTrailingZeros().scale() <= 3;
            }
            case "maxConnections" -> whole(v, 0, Integer.MAX_VALUE);
            case "maxMessageSize", "maxFragments" -> whole(v, 1, Integer.MAX_VALUE);
            case "maxBufferedAmount" -> whole(v, 1, Long.MAX_VALUE);
            default -> false;
        };
    }

    /** A number's exact value; null for anything else, and for what JSON cannot hold (a double that overflowed). */
    static BigDecimal exact(JsonNode v) {
        if (!v.isNumber() || (v.isFloatingPointNumber() && !v.isBigDecimal() && !Double.isFinite(v.doubleValue()))) {
            return null;
        }
        return v.decimalValue();
    }

    static boolean whole(JsonNode v, long min, long max) {
        if (!v.isIntegralNumber()) {
            return false;
        }
        BigDecimal x = v.decimalValue();
        return x.compareTo(BigDecimal.valueOf(min)) >= 0 && x.compareTo(BigDecimal.valueOf(max)) <= 0;
    }

    static boolean all(JsonNode array, java.util.function.Predicate<JsonNode> p) {
        for (JsonNode item : array) {
            if (!p.test(item)) {
                return false;
            }
        }
        return true;
    }

    static boolean sameValue(JsonNode sent, JsonNode shown) {
        if (sent.isNumber() && shown.isNumber()) {
            return sent.decimalValue().compareTo(shown.decimalValue()) == 0;
        }
        return sent.equals(shown);
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("the generator wrote invalid JSON: " + text, e);
        }
    }
}
