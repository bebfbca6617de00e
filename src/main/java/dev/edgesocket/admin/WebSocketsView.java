package dev.edgesocket.admin;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.edgesocket.config.ZoneSetting;
import dev.edgesocket.zone.ZoneSettings;

/**
 * A zone's WebSocket settings in the config API: one field per {@link ZoneSetting}, by its JSON name and in
 * its order, durations in seconds (to the millisecond: 30, 1.5), sizes in bytes. PATCH takes the same fields,
 * each optional. Its OpenAPI schema is {@link SettingsSchemas}'s, from the same descriptors.
 */
@io.quarkus.runtime.annotations.RegisterForReflection
public record WebSocketsView(@JsonValue Map<String, Object> fields) {

    public WebSocketsView {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    static WebSocketsView of(ZoneSettings s) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (ZoneSetting setting : ZoneSetting.values()) {
            fields.put(setting.json(), json(setting, s.get(setting)));
        }
        return new WebSocketsView(fields);
    }

    /** A setting's value as the JSON shows it: durations in seconds, the rest as they are. */
    static Object json(ZoneSetting setting, Object value) {
        return setting.kind() == ZoneSetting.Kind.SECONDS ? seconds((Duration) value) : value;
    }

    /** 30 s as 30, 1500 ms as 1.5: whole seconds stay whole numbers in the JSON. */
    private static BigDecimal seconds(Duration d) {
        BigDecimal s = BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
