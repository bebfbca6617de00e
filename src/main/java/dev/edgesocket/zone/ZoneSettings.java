package dev.edgesocket.zone;

import static dev.edgesocket.config.ZoneSetting.ALLOWED_ORIGINS;
import static dev.edgesocket.config.ZoneSetting.COMPRESSION;
import static dev.edgesocket.config.ZoneSetting.ENABLED;
import static dev.edgesocket.config.ZoneSetting.IDLE_TIMEOUT;
import static dev.edgesocket.config.ZoneSetting.MAX_BUFFERED_AMOUNT;
import static dev.edgesocket.config.ZoneSetting.MAX_CONNECTIONS;
import static dev.edgesocket.config.ZoneSetting.MAX_FRAGMENTS;
import static dev.edgesocket.config.ZoneSetting.MAX_IDLE;
import static dev.edgesocket.config.ZoneSetting.MAX_MESSAGE_SIZE;
import static dev.edgesocket.config.ZoneSetting.REQUIRE_ORIGIN;
import static dev.edgesocket.config.ZoneSetting.SUBPROTOCOLS;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.config.ZoneSetting;

/**
 * The WebSocket settings of one zone, immutable: a change swaps the whole object, so an upgrade
 * always sees one consistent set. One component per {@link ZoneSetting}, read by the runtime through its
 * typed accessor; {@link #get} and {@link #of} bind each descriptor to its component, so everything else
 * (the config mapping, the config API) goes through the descriptors.
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

    /** The value of one setting, of its kind's type ({@link ZoneSetting.Kind#type()}). */
    public Object get(ZoneSetting setting) {
        // A switch without default: a new descriptor without its component does not compile.
        return switch (setting) {
            case ENABLED -> enabled;
            case SUBPROTOCOLS -> subprotocols;
            case IDLE_TIMEOUT -> idleTimeout;
            case MAX_IDLE -> maxIdle;
            case MAX_CONNECTIONS -> maxConnections;
            case MAX_MESSAGE_SIZE -> maxMessageSize;
            case MAX_BUFFERED_AMOUNT -> maxBufferedAmount;
            case MAX_FRAGMENTS -> maxFragments;
            case COMPRESSION -> compression;
            case ALLOWED_ORIGINS -> allowedOrigins;
            case REQUIRE_ORIGIN -> requireOrigin;
        };
    }

    /** The settings whose values {@code values} gives, each of its kind's type. */
    public static ZoneSettings of(Function<ZoneSetting, Object> values) {
        return new ZoneSettings(
                (Boolean) value(values, ENABLED),
                strings(value(values, SUBPROTOCOLS)),
                (Duration) value(values, IDLE_TIMEOUT),
                (Duration) value(values, MAX_IDLE),
                (Integer) value(values, MAX_CONNECTIONS),
                (Long) value(values, MAX_MESSAGE_SIZE),
                (Long) value(values, MAX_BUFFERED_AMOUNT),
                (Integer) value(values, MAX_FRAGMENTS),
                (Boolean) value(values, COMPRESSION),
                strings(value(values, ALLOWED_ORIGINS)),
                (Boolean) value(values, REQUIRE_ORIGIN));
    }

    private static Object value(Function<ZoneSetting, Object> values, ZoneSetting setting) {
        Object value = values.apply(setting);
        if (!setting.kind().type().isInstance(value)) {
            throw new IllegalArgumentException(setting.json() + " must be a " + setting.kind().type().getSimpleName()
                    + ", got " + value);
        }
        return value;
    }

    private static List<String> strings(Object list) {
        return ((List<?>) list).stream().map(String.class::cast).toList();
    }

    static ZoneSettings from(EdgesocketConfig.WebSocketsConfig config) {
        return of(setting -> setting.read(config));
    }
}
