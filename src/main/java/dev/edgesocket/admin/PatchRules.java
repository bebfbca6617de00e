package dev.edgesocket.admin;

import java.util.Map;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edgesocket.zone.SettingsRules;
import dev.edgesocket.zone.ZoneSettings;

/** The config API's rules for stored overrides, for the stores that read them back (state file, cluster). */
@Singleton
public class PatchRules implements SettingsRules {

    @Override
    public Map<String, String> problems(JsonNode overrides) {
        return SettingsPatch.problems(overrides);
    }

    @Override
    public ZoneSettings apply(ZoneSettings baseline, JsonNode overrides) {
        return SettingsPatch.apply(baseline, overrides);
    }
}
