package dev.edgesocket.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.zone.OriginSettings;
import dev.edgesocket.zone.SettingsRules;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneSettings;

/** The config API's rules for stored overrides, for the stores that read them back (state file, cluster). */
@Singleton
public class PatchRules implements SettingsRules {

    private final EdgesocketConfig config;

    @Inject
    public PatchRules(EdgesocketConfig config) {
        this.config = config;
    }

    @Override
    public Map<String, String> problems(JsonNode overrides) {
        Map<String, String> problems = new LinkedHashMap<>(SettingsPatch.problems(OriginOverride.websockets(overrides)));
        if (overrides != null && overrides.has(OriginOverride.KEY)) {
            String problem = OriginOverride.urlProblem(overrides.get(OriginOverride.KEY));
            if (problem != null) {
                problems.put(OriginOverride.KEY, problem);
            }
        }
        return problems;
    }

    @Override
    public ZoneSettings apply(ZoneSettings baseline, JsonNode overrides) {
        return SettingsPatch.apply(baseline, OriginOverride.websockets(overrides));
    }

    @Override
    public OriginSettings origin(Zone zone, JsonNode overrides) {
        return OriginOverride.origin(config, zone, overrides);
    }
}
