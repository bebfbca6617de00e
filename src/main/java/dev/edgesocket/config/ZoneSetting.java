package dev.edgesocket.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import dev.edgesocket.config.EdgesocketConfig.WebSocketsConfig;

/**
 * The descriptor of each WebSocket setting a zone has: the one list the zone's settings object, the config
 * API's view and PATCH rules, its OpenAPI schema and the configuration reference are all derived from. A new
 * setting is a new constant here, a method of {@link EdgesocketConfig.WebSocketsConfig} (where its default
 * lives, in {@code @WithDefault}: SmallRye Config reads it there), and a component of
 * {@code zone.ZoneSettings} (whose switch over these constants the compiler holds complete).
 * <p>
 * The config API's JSON name is the mapping method's name ({@code maxIdle}); the property is its kebab-case
 * form under the zone ({@code edgesocket.zones."<zone>".websockets.max-idle}). These names are also the field
 * names of the overrides kept in the state file and in Redis: renaming one loses what running servers keep.
 */
public enum ZoneSetting {

    ENABLED("enabled", Kind.SWITCH, WebSocketsConfig::enabled),
    SUBPROTOCOLS("subprotocols", Kind.TOKENS, c -> c.subprotocols().orElse(List.of())),
    IDLE_TIMEOUT("idleTimeout", Kind.SECONDS, WebSocketsConfig::idleTimeout),
    MAX_IDLE("maxIdle", Kind.SECONDS, WebSocketsConfig::maxIdle),
    MAX_CONNECTIONS("maxConnections", Kind.INT, 0, Integer.MAX_VALUE, "a whole number, 0 or more",
            WebSocketsConfig::maxConnections),
    MAX_MESSAGE_SIZE("maxMessageSize", Kind.LONG, 1, Integer.MAX_VALUE, "a whole number of bytes from 1 to 2147483647",
            c -> c.maxMessageSize().asLongValue()),
    MAX_BUFFERED_AMOUNT("maxBufferedAmount", Kind.LONG, 1, Long.MAX_VALUE, "a whole number of bytes, 1 or more",
            c -> c.maxBufferedAmount().asLongValue()),
    MAX_FRAGMENTS("maxFragments", Kind.INT, 1, Integer.MAX_VALUE, "a whole number of frames from 1 to 2147483647",
            WebSocketsConfig::maxFragments),
    COMPRESSION("compression", Kind.SWITCH, WebSocketsConfig::compression),
    ALLOWED_ORIGINS("allowedOrigins", Kind.ORIGINS, c -> c.allowedOrigins().orElse(List.of())),
    REQUIRE_ORIGIN("requireOrigin", Kind.SWITCH, WebSocketsConfig::requireOrigin);

    /** What a setting's value is, and so how it is written in JSON and checked. */
    public enum Kind {
        /** {@code true} or {@code false}; a {@link Boolean}. */
        SWITCH(Boolean.class),
        /** A list of subprotocol names (HTTP tokens); a {@code List<String>}. */
        TOKENS(List.class),
        /** A list of origins as {@code zone.OriginPolicy} reads them; a {@code List<String>}. */
        ORIGINS(List.class),
        /** A {@link Duration}: in the properties {@code 30s}, {@code 1500ms}; in JSON seconds to the millisecond. */
        SECONDS(Duration.class),
        /** A whole number within {@link #min()} and {@link #max()}; an {@link Integer}. */
        INT(Integer.class),
        /** A whole number within {@link #min()} and {@link #max()} (sizes in bytes); a {@link Long}. */
        LONG(Long.class);

        private final Class<?> type;

        Kind(Class<?> type) {
            this.type = type;
        }

        /** The Java type of a value of this kind. */
        public Class<?> type() {
            return type;
        }
    }

    private final String json;
    private final Kind kind;
    private final long min;
    private final long max;
    private final String range;
    private final Function<WebSocketsConfig, Object> read;

    ZoneSetting(String json, Kind kind, Function<WebSocketsConfig, Object> read) {
        this(json, kind, 0, 0, null, read);
    }

    ZoneSetting(String json, Kind kind, long min, long max, String range,
            Function<WebSocketsConfig, Object> read) {
        this.json = json;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.range = range;
        this.read = read;
    }

    /** The name in the config API's JSON and in stored overrides, e.g. {@code maxIdle}. */
    public String json() {
        return json;
    }

    /** The property under a zone's key, e.g. {@code websockets.max-idle}. */
    public String property() {
        return "websockets." + json.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    public Kind kind() {
        return kind;
    }

    /** The least value of a whole-number setting. */
    public long min() {
        return min;
    }

    /** The greatest value of a whole-number setting. */
    public long max() {
        return max;
    }

    /** What a whole-number setting must be, as the config API says it: {@code a whole number, 0 or more}. */
    public String range() {
        return range;
    }

    /** The configured value, in the kind's type (sizes as byte counts, unset lists as empty ones). */
    public Object read(WebSocketsConfig config) {
        return read.apply(config);
    }

    /** The setting with this JSON name, if there is one. */
    public static Optional<ZoneSetting> byJson(String json) {
        return Arrays.stream(values()).filter(s -> s.json.equals(json)).findFirst();
    }

    /** Every JSON name, in the order the config API shows them. */
    public static List<String> jsonNames() {
        return Arrays.stream(values()).map(ZoneSetting::json).toList();
    }
}
