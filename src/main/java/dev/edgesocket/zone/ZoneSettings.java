package dev.edgesocket.zone;

import dev.edgesocket.config.EdgesocketConfig;
import java.time.Duration;
import java.util.List;

/**
 * The WebSocket settings of one zone, immutable: a change swaps the whole object, so an upgrade
 * always sees one consistent set.
 */
public record ZoneSettings(
        boolean enabled,
        List<String> subprotocols,
        Duration idleTimeout,
        Duration maxIdle,
        int maxConnections,
        long maxMessageSize,
        long maxBufferedAmount,
        int maxFragments,
        boolean compression,
        List<String> allowedOrigins,
        boolean requireOrigin) {

    public ZoneSettings {
        subprotocols = List.copyOf(subprotocols);
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    static ZoneSettings from(EdgesocketConfig.WebSocketsConfig config) {
        return new ZoneSettings(
                config.enabled(),
                config.subprotocols().orElse(List.of()),
                config.idleTimeout(),
                config.maxIdle(),
                config.maxConnections(),
                config.maxMessageSize().asLongValue(),
                config.maxBufferedAmount().asLongValue(),
                config.maxFragments(),
                config.compression(),
                config.allowedOrigins().orElse(List.of()),
                config.requireOrigin());
    }
}
