package dev.edgesocket.admin;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.config.EdgesocketConfig.OriginConfig;
import dev.edgesocket.zone.OriginSettings;
import dev.edgesocket.zone.Zone;

/**
 * The one origin field the config API changes at run time, {@code origin.url}. The stores keep a zone's
 * overrides as one flat object, the {@code websockets} fields by their JSON names plus {@code "origin.url"}
 * (a string, or null for no origin), because Redis keeps one hash field per setting; the state file and the API
 * spell it as the property tree, {@code {"origin": {"url": ...}}}. The other origin settings (timeouts, Host,
 * TLS) stay as configured: a new URL takes them, so a zone that had no origin gets the configured (or default)
 * ones.
 */
final class OriginOverride {

    /** The flat key of the origin's URL among a zone's overrides; no {@code websockets} field has a dot. */
    static final String KEY = "origin.url";

    private OriginOverride() {
    }

    /**
     * The problems of the API's {@code origin} object for this zone, keyed by {@code origin.<field>}; empty when
     * it is fine.
     */
    static Map<String, String> problems(JsonNode origin, Zone zone) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (!origin.isObject()) {
            problems.put("origin", "must be an object such as {\"url\": \"http://orders:8080\"}");
            return problems;
        }
        origin.fieldNames().forEachRemaining(field -> {
            if (!field.equals("url")) {
                problems.put("origin." + field, "cannot be changed at run time; only origin.url can");
            }
        });
        if (origin.has("url")) {
            String problem = urlProblem(origin.get("url"));
            if (problem != null) {
                problems.put(KEY, problem);
            }
        }
        return problems;
    }

    /** The problem of a stored or sent URL value: a string that parses, or null. */
    static String urlProblem(JsonNode url) {
        if (url.isNull()) {
            return null;
        }
        if (!url.isTextual()) {
            return "must be an http:// or https:// URL as a string, or null for no origin";
        }
        try {
            OriginSettings.parse(url.asText());
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The sentence when a change would leave a zone with neither a script nor an origin, or null. */
    static String kindProblem(Zone zone, JsonNode url) {
        if (zone.script() == null && url != null && url.isNull()) {
            return "Zone '" + zone.name() + "' is a Pull Zone (it has no script), so it cannot lose its origin: a zone "
                    + "with neither a script nor an origin would serve nothing. Change origin.url instead, or configure "
                    + "a script for it. Nothing was changed.";
        }
        return null;
    }

    /** The {@code websockets} fields of flat overrides, without the origin's. */
    static JsonNode websockets(JsonNode overrides) {
        if (overrides == null || !overrides.has(KEY)) {
            return overrides;
        }
        ObjectNode copy = ((ObjectNode) overrides).deepCopy();
        copy.remove(KEY);
        return copy;
    }

    /**
     * The origin a zone has with these flat overrides: none for {@code "origin.url": null}, the configured origin
     * settings with the stored URL for a string, and the configured origin when they hold no URL.
     */
    static OriginSettings origin(EdgesocketConfig config, Zone zone, JsonNode overrides) {
        OriginConfig configured = Optional.ofNullable(config.zones().get(zone.name()))
                .map(EdgesocketConfig.ZoneConfig::origin).orElse(null);
        JsonNode url = overrides.get(KEY);
        if (url == null) {
            return configured == null ? zone.origin() : OriginSettings.from(zone.name(), configured);
        }
        if (url.isNull()) {
            return null;
        }
        URI parsed = OriginSettings.parse(url.asText());
        if (configured != null) {
            return new OriginSettings(parsed, configured.connectTimeout(), configured.responseTimeout(),
                    configured.forwardHostHeader(), configured.tls().trustStore().filter(s -> !s.isBlank()),
                    configured.tls().insecure());
        }
        OriginSettings current = zone.origin();
        return current == null
                ? new OriginSettings(parsed, java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(30), false,
                        Optional.empty(), false)
                : new OriginSettings(parsed, current.connectTimeout(), current.responseTimeout(),
                        current.forwardHostHeader(), current.trustStore(), current.insecure());
    }
}
