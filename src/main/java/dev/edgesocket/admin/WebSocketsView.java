package dev.edgesocket.admin;

import java.util.List;

import dev.edgesocket.zone.ZoneSettings;

/**
 * A zone's WebSocket settings in the config API: the camelCase forms of the properties, durations in
 * whole seconds, sizes in bytes. PATCH takes the same fields, each optional.
 */
@io.quarkus.runtime.annotations.RegisterForReflection
public record WebSocketsView(
        boolean enabled,
        List<String> subprotocols,
        long idleTimeout,
        long maxIdle,
        int maxConnections,
        long maxMessageSize,
        long maxBufferedAmount) {

    static WebSocketsView of(ZoneSettings s) {
        return new WebSocketsView(s.enabled(), s.subprotocols(), s.idleTimeout().toSeconds(), s.maxIdle().toSeconds(),
                s.maxConnections(), s.maxMessageSize(), s.maxBufferedAmount());
    }
}
