package dev.edgesocket.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Every {@code edgesocket.*} setting; docs/configuration.md lists them with their defaults (ConfigurationDocTest
 * holds the two together).
 */
@ConfigMapping(prefix = "edgesocket")
public interface EdgesocketConfig {

    /** The zones by name: {@code edgesocket.zones."<name>".*}. */
    Map<String, ZoneConfig> zones();

    /** The worker pool that runs scripts and listeners of zones with {@code dispatch=worker}. */
    WorkersConfig workers();

    /** The HTTP config endpoints under {@code /api}. */
    AdminConfig admin();

    /**
     * Where changes made over HTTP are kept across restarts; unset keeps them in memory only.
     * Written atomically; a corrupt file stops the server at start.
     */
    Optional<java.nio.file.Path> stateFile();

    /** Graceful drain on SIGTERM. */
    ShutdownConfig shutdown();

    /** Plain HTTP connections. */
    HttpConfig http();

    /** How long a server-initiated close waits for the client's close frame before dropping the connection. */
    @WithDefault("5s")
    Duration closeTimeout();

    /**
     * How long a request waits for a script's response that comes later (a JavaScript handler's promise that
     * settles after a timer, say); past it the client gets 503 and the log says so.
     */
    @WithDefault("30s")
    Duration maxResponseTime();

    /** Cluster mode on Redis: one zone across many servers. Off by default (single node, nothing to install). */
    ClusterConfig cluster();

    /** BroadcastChannel: named channels across sockets and servers. */
    ChannelsConfig channels();

    /** JavaScript and TypeScript zones (a zone whose script is {@code file:...} or {@code classpath:...}). */
    JsConfig js();

    /** What all sockets together may cost the server: queued bytes and compression work. */
    LimitsConfig limits();

    /** The demo zones ({@code /echo}, {@code /chat}, {@code /echo-ts}, {@code /chat-js}, {@code /room-ts}). */
    ExamplesConfig examples();

    interface ZoneConfig {

        /**
         * The path the zone answers: exact ({@code /echo}), or a prefix written with a trailing {@code /*}
         * ({@code /app/*} answers {@code /app} and everything below it; {@code /*} every path).
         */
        String path();

        /**
         * The host names the zone answers (the Host header, port aside): exact names or {@code *.example.com}.
         * Empty: any host. A zone with hosts owns every path of them, the server's own ({@code /q/*}, ...) included.
         */
        Optional<List<String>> hosts();

        /**
         * The name ({@code @Named}) of the {@code EdgeScript} bean that serves the zone, or a JavaScript or
         * TypeScript file: {@code file:scripts/chat.ts} (relative to the working directory) or
         * {@code classpath:scripts/echo.ts}. Without a script, a zone with an origin is a Pull Zone.
         */
        Optional<String> script();

        /** The server behind the zone (Bunny's Pull Zone origin). */
        OriginConfig origin();

        /** Where the script and listeners run: {@code worker} (default, may block) or {@code event-loop}. */
        @WithDefault("worker")
        Dispatch dispatch();

        WebSocketsConfig websockets();
    }

    interface WebSocketsConfig {

        /** The Pull Zone toggle: when false, upgrades are refused with 403. */
        @WithDefault("true")
        boolean enabled();

        /** Supported subprotocols in server preference order. */
        Optional<List<String>> subprotocols();

        /** Pong deadline when the script passes no {@code idleTimeout}; 0 disables pings. */
        @WithDefault("30s")
        Duration idleTimeout();

        /** A socket that sends no text or binary message for this long is closed; 0 disables. */
        @WithDefault("2m")
        Duration maxIdle();

        /** Open sockets allowed in the zone; further upgrades get 503. */
        @WithDefault("10000")
        int maxConnections();

        /** The largest incoming message; a larger one closes the socket with 1009. */
        @WithDefault("1M")
        MemorySize maxMessageSize();

        /** The most bytes a socket may have queued for sending; beyond it the socket is closed with 1008. */
        @WithDefault("4M")
        MemorySize maxBufferedAmount();

        /**
         * Origins allowed to open WebSockets ({@code https://app.example.com}, {@code https://*.example.com},
         * {@code *}); unset allows any. Another Origin gets 403 before the script runs.
         */
        Optional<List<String>> allowedOrigins();

        /** Refuse upgrades without an Origin header (non-browser clients) with 403. */
        @WithDefault("false")
        boolean requireOrigin();

        /** The most frames one message may come in; more closes the socket with 1009. */
        @WithDefault("16384")
        int maxFragments();

        /**
         * permessage-deflate (RFC 7692): negotiated when the client offers it. Off by default, as Node's
         * {@code ws} chooses for servers: each socket that keeps its client's context costs memory.
         */
        @WithDefault("false")
        boolean compression();
    }

    interface OriginConfig {

        /**
         * The origin's base URL, {@code http://orders:8080} or {@code https://api.internal/base}: with it and no
         * script, every request of the zone (WebSocket upgrades included) is proxied there; its path is a prefix.
         */
        Optional<String> url();

        /** How long connecting to the origin may take; past it the client gets 504. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** How long the origin may take to send its response head; past it the client gets 504. */
        @WithDefault("30s")
        Duration responseTimeout();

        /** Send the client's Host header to the origin instead of the origin's own host (Bunny sends the origin's). */
        @WithDefault("false")
        boolean forwardHostHeader();

        OriginTlsConfig tls();
    }

    interface OriginTlsConfig {

        /** A PEM file of CA certificates trusted for the origin, beside the JDK's trust store. */
        Optional<String> trustStore();

        /** Trust any certificate and host name of the origin (a WARN at start says so). For tests only. */
        @WithDefault("false")
        boolean insecure();
    }

    interface WorkersConfig {

        /** Threads of the worker pool; 0 means eight per core, at least 16. */
        @WithName("threads")
        @WithDefault("0")
        int threads();
    }

    interface ShutdownConfig {

        /** Open sockets are closed (1001) spread over this period, so clients do not reconnect all at once. */
        @WithDefault("5s")
        Duration drainPeriod();

        /** How long the drain waits for close handshakes in all; must exceed drain-period plus close-timeout. */
        @WithDefault("15s")
        Duration drainTimeout();
    }

    interface HttpConfig {

        /**
         * How long a client has to send a whole request head, from the connection's start and after each
         * response; a partial request then gets 408, a silent connection is closed. 0 disables.
         */
        @WithDefault("10s")
        Duration headerTimeout();
    }

    interface ClusterConfig {

        /**
         * Shares zone settings, connection limits and sessions through Redis ({@code quarkus.redis.hosts}).
         * When false nothing connects to Redis.
         */
        @WithDefault("false")
        boolean enabled();

        /** Prefix of every Redis key and channel, so several clusters can share one Redis. */
        @WithDefault("edgesocket:")
        String keyPrefix();

        /** This server's name in the cluster; default the pod name ({@code HOSTNAME}), else a random one. */
        Optional<String> nodeId();

        /** Every server re-reads the shared settings this often, healing a lost change notification. */
        @WithDefault("5s")
        Duration syncInterval();

        /** A server that has not renewed its registration for this long is dead: its places and sessions go. */
        @WithDefault("10s")
        Duration nodeTimeout();
    }

    interface ChannelsConfig {

        /** The largest message {@code postMessage} (and {@code POST /api/channels/{name}}) takes. */
        @WithDefault("64K")
        MemorySize maxMessageSize();

        /**
         * Messages one channel object may have waiting for its listeners; past it, newer ones are dropped for
         * that object (and counted), so a stuck listener cannot grow the server's memory.
         */
        @WithDefault("4096")
        int maxPending();

        /**
         * What the messages one channel object has waiting may hold, each counted with 128 bytes of overhead; past
         * it, newer ones are dropped for that object, as past {@code max-pending}.
         */
        @WithDefault("8M")
        MemorySize maxPendingBytes();

        /** Channel objects open on this server at once; {@code open} throws past it. */
        @WithDefault("100000")
        int maxOpen();

        /**
         * Cluster mode: posts waiting to be published to Redis; past it (Redis slow or away) newer posts reach
         * only this server's channel objects.
         */
        @WithDefault("10000")
        int maxUnpublished();
    }

    interface LimitsConfig {

        /**
         * Bytes queued for all sockets together: messages waiting for listeners or for the network (each counted
         * with a per-message overhead), control frames, and messages being assembled. Past it, upgrades get 503
         * and the sockets holding the most are closed with 1013. Unset: a quarter of the maximum heap.
         */
        Optional<MemorySize> maxQueuedBytes();

        /**
         * permessage-deflate work one socket may cause per second, in bytes: inflated from what it sends (past it,
         * reading from it pauses until the budget refills) and compressed for what it is sent (past it, messages
         * go uncompressed).
         */
        @WithDefault("16M")
        MemorySize compressionRate();

        /**
         * The same budget for all sockets of the server together, per second, each direction. Unset: 16 MiB per core
         * (inflating and compressing that much costs about a core's fifth per 16 MiB/s).
         */
        Optional<MemorySize> serverCompressionRate();
    }

    interface AdminConfig {

        /** The key clients send as {@code AccessKey}; from env {@code EDGESOCKET_ADMIN_API_KEY}. Unset: every call gets 401. */
        Optional<String> apiKey();
    }

    interface JsConfig {

        /**
         * A JavaScript callback (the handler, a listener, a timer) that runs longer is interrupted; the socket
         * it ran for is closed with 1011.
         */
        @WithDefault("1s")
        Duration maxCallbackTime();
    }

    interface ExamplesConfig {

        /**
         * Serve the demo zones, defined in {@code edgesocket-examples.properties}. On in the dev and test profiles
         * (application.properties); off in production, which serves only the zones its operator configured.
         */
        @WithDefault("false")
        boolean enabled();
    }

    enum Dispatch {
        WORKER, EVENT_LOOP
    }
}
