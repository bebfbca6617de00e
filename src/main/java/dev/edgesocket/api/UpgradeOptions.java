package dev.edgesocket.api;

import java.util.Objects;

/**
 * Options of {@link Request#upgradeWebSocket(UpgradeOptions)}: Bunny's {@code {protocol, idleTimeout}}.
 *
 * @param protocol    the subprotocol to accept; must be one the client offered. {@code null} lets the
 *                    zone negotiate one from its configured list.
 * @param idleTimeout seconds to wait for a pong before the socket is deemed unhealthy; half of it
 *                    passes before each ping. {@code 0} disables pings. {@code null} takes the zone's default (30).
 */
public record UpgradeOptions(String protocol, Integer idleTimeout) {

    private static final UpgradeOptions DEFAULTS = new UpgradeOptions(null, null);

    public UpgradeOptions {
        if (idleTimeout != null && idleTimeout < 0) {
            throw new IllegalArgumentException("idleTimeout must be 0 (disabled) or a positive number of seconds, got " + idleTimeout + ".");
        }
    }

    public static UpgradeOptions defaults() {
        return DEFAULTS;
    }

    public static UpgradeOptions protocol(String protocol) {
        return new UpgradeOptions(Objects.requireNonNull(protocol, "protocol"), null);
    }

    public static UpgradeOptions idleTimeout(int seconds) {
        return new UpgradeOptions(null, seconds);
    }

    public UpgradeOptions withProtocol(String protocol) {
        return new UpgradeOptions(Objects.requireNonNull(protocol, "protocol"), idleTimeout);
    }

    public UpgradeOptions withIdleTimeout(int seconds) {
        return new UpgradeOptions(protocol, seconds);
    }
}
