package dev.edgesocket.admin;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgesocket.config.ZoneSetting;
import dev.edgesocket.zone.OriginPolicy;
import dev.edgesocket.zone.ZoneSettings;

/**
 * Checks and applies a partial change of a zone's {@code websockets} settings, field by field, so a
 * rejected change can say what is wrong with each field and change nothing. The fields, their kinds and their
 * bounds are the {@link ZoneSetting} descriptors'; the sentences for each kind are here.
 */
final class SettingsPatch {

    /** The JSON names of the settings, in the order the descriptors give them. */
    static final List<String> FIELDS = ZoneSetting.jsonNames();

    /** The longest duration a setting takes, in seconds. */
    static final long MAX_SECONDS = Integer.MAX_VALUE;

    private SettingsPatch() {
    }

    /** The problems of a {@code websockets} object, keyed by {@code websockets.<field>}; empty when it is fine. */
    static Map<String, String> problems(JsonNode websockets) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (websockets == null || !websockets.isObject()) {
            problems.put("websockets", "must be an object of settings");
            return problems;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = websockets.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            String problem = problem(name, field.getValue());
            if (problem != null) {
                problems.put("websockets." + name, problem);
            }
        }
        return problems;
    }

    private static String problem(String name, JsonNode value) {
        ZoneSetting setting = ZoneSetting.byJson(name).orElse(null);
        if (setting == null) {
            return "is not a setting; the settings are " + String.join(", ", FIELDS);
        }
        return switch (setting.kind()) {
            case ORIGINS -> origins(value);
            case SWITCH -> value.isBoolean() ? null : "must be true or false";
            case TOKENS -> subprotocols(value);
            case SECONDS -> seconds(value);
            case INT, LONG -> wholeNumber(value, setting.min(), setting.max(), setting.range());
        };
    }

    private static String origins(JsonNode value) {
        if (!value.isArray()) {
            return "must be a list of origins such as [\"https://app.example.com\", \"https://*.example.com\"]";
        }
        for (JsonNode item : value) {
            String problem = item.isTextual() ? OriginPolicy.problem(item.asText()) : "every allowed origin must be a string";
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String subprotocols(JsonNode value) {
        if (!value.isArray()) {
            return "must be a list of subprotocol names";
        }
        for (JsonNode item : value) {
            if (!item.isTextual() || !isToken(item.asText())) {
                return "every subprotocol must be a non-empty name without spaces, commas or quotes";
            }
        }
        return null;
    }

    /** Seconds to the millisecond (30, 1.5, 0.25), as the properties take them ({@code 1500ms}). */
    private static String seconds(JsonNode value) {
        String what = "must be a number of seconds, 0 or more, to the millisecond (such as 30 or 1.5)";
        if (!value.isNumber()) {
            return what;
        }
        if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
            // JSON such as 1e999 parses to an infinite double, which has no decimal value.
            return what + ", got " + value.asText();
        }
        java.math.BigDecimal v = value.decimalValue();
        if (v.signum() < 0 || v.compareTo(java.math.BigDecimal.valueOf(MAX_SECONDS)) > 0
                || v.stripTrailingZeros().scale() > 3) {
            return what + ", got " + v.toPlainString();
        }
        return null;
    }

    static Duration toDuration(JsonNode seconds) {
        return Duration.ofMillis(seconds.decimalValue().movePointRight(3).longValueExact());
    }

    private static String wholeNumber(JsonNode value, long min, long max, String what) {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            return "must be " + what;
        }
        long v = value.asLong();
        return v < min || v > max ? "must be " + what + ", got " + v : null;
    }

    /** RFC 6455 subprotocol names are HTTP tokens. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (char c : s.toCharArray()) {
            if (c <= 0x20 || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The settings with the (already checked) fields of {@code websockets} applied. */
    static ZoneSettings apply(ZoneSettings base, JsonNode websockets) {
        return ZoneSettings.of(setting -> websockets.has(setting.json()) ? value(setting, websockets.get(setting.json()))
                : base.get(setting));
    }

    /** A checked JSON value as the setting's kind's type. */
    private static Object value(ZoneSetting setting, JsonNode json) {
        return switch (setting.kind()) {
            case SWITCH -> Boolean.valueOf(json.asBoolean());
            case TOKENS, ORIGINS -> strings(json);
            case SECONDS -> toDuration(json);
            case INT -> Integer.valueOf(json.asInt());
            case LONG -> Long.valueOf(json.asLong());
        };
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }

    /** {@code overrides} with the fields of {@code websockets} laid over it. */
    static ObjectNode merge(ObjectNode overrides, JsonNode websockets) {
        ObjectNode merged = overrides.deepCopy();
        websockets.fields().forEachRemaining(f -> merged.set(f.getKey(), f.getValue()));
        return merged;
    }
}
