package dev.edgesocket.zone;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How stored overrides (the {@code websockets} fields changed over HTTP, in the config API's JSON form, and
 * {@code "origin.url"} when the origin's URL was changed) become a zone's settings and origin. The config API supplies it, so that a change read back from the state file or
 * from the cluster follows exactly the rules of a PATCH.
 */
public interface SettingsRules {

    /** The problems of stored overrides, by field; empty when they can be applied. */
    Map<String, String> problems(JsonNode overrides);

    /** {@code baseline} with {@code overrides} (already checked) laid over it. */
    ZoneSettings apply(ZoneSettings baseline, JsonNode overrides);

    /**
     * The origin {@code zone} has with {@code overrides} (already checked): the configured one when they do not
     * change its URL; null for none.
     */
    OriginSettings origin(Zone zone, JsonNode overrides);
}
