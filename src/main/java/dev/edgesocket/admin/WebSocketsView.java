package dev.edgesocket.admin;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import dev.edgesocket.zone.ZoneSettings;

/**
 * A zone's WebSocket settings in the config API: the camelCase forms of the properties, durations in
 * seconds (to the millisecond: 30, 1.5), sizes in bytes. PATCH takes the same fields, each optional.
 */
@io.quarkus.runtime.annotations.RegisterForReflection
public record WebSocketsView(
        boolean enabled,
        List<String> subprotocols,
        BigDecimal idleTimeout,
        BigDecimal maxIdle,
        int maxConnections,
        long maxMessageSize,
        long maxBufferedAmount,
        int maxFragments,
        boolean compression,
        List<String> allowedOrigins,
        boolean requireOrigin) {

    static WebSocketsView of(ZoneSettings s) {
        return new WebSocketsView(s.enabled(), s.subprotocols(), seconds(s.idleTimeout()), seconds(s.maxIdle()),
                s.maxConnections(), s.maxMessageSize(), s.maxBufferedAmount(), s.maxFragments(), s.compression(),
                s.allowedOrigins(), s.requireOrigin());
    }

    /** 30 s as 30, 1500 ms as 1.5: whole seconds stay whole numbers in the JSON. */
    private static BigDecimal seconds(Duration d) {
        BigDecimal s = BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }
}
