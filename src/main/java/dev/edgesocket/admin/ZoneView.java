package dev.edgesocket.admin;

import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.edgesocket.zone.SessionDirectory.NodeCounts;
import dev.edgesocket.zone.Zone;

/** A zone in the config API: what it is, its settings, and its live counts. */
@io.quarkus.runtime.annotations.RegisterForReflection
public record ZoneView(String name, String kind, @JsonInclude(JsonInclude.Include.NON_EMPTY) java.util.List<String> hosts,
        String path, String dispatch, @JsonInclude(JsonInclude.Include.NON_NULL) Origin origin,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(ref = SettingsSchemas.VIEW) WebSocketsView websockets,
        Live live) {

    /**
     * Live counts since the server started; in cluster mode the sums over the live nodes, and {@code nodes}
     * gives each node's own (absent on a single node).
     */
    public record Live(int openSockets, long upgrades, long refusedDisabled, long refusedLimit, long refusedOrigin,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, NodeCounts> nodes) {
    }

    /** The server behind a Pull Zone or a middleware script (absent for a standalone zone). */
    public record Origin(String url, String connectTimeout, String responseTimeout, boolean forwardHostHeader) {
        static Origin of(dev.edgesocket.zone.OriginSettings origin) {
            return origin == null ? null : new Origin(origin.url().toString(), text(origin.connectTimeout()),
                    text(origin.responseTimeout()), origin.forwardHostHeader());
        }

        /** A duration as configuration spells it: {@code 5s}, {@code 1500ms}. */
        private static String text(java.time.Duration duration) {
            long millis = duration.toMillis();
            return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
        }
    }

    static ZoneView of(Zone zone, Map<String, NodeCounts> nodes) {
        Live live;
        if (nodes.isEmpty()) {
            live = new Live(zone.openSocketCount(), zone.upgrades(), zone.refusedDisabled(), zone.refusedLimit(),
                    zone.refusedOrigin(), Map.of());
        } else {
            live = new Live(nodes.values().stream().mapToInt(NodeCounts::openSockets).sum(),
                    nodes.values().stream().mapToLong(NodeCounts::upgrades).sum(),
                    nodes.values().stream().mapToLong(NodeCounts::refusedDisabled).sum(),
                    nodes.values().stream().mapToLong(NodeCounts::refusedLimit).sum(),
                    nodes.values().stream().mapToLong(NodeCounts::refusedOrigin).sum(), nodes);
        }
        return new ZoneView(zone.name(), zone.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'), zone.hosts(),
                zone.path(), zone.dispatch().name().toLowerCase(Locale.ROOT).replace('_', '-'), Origin.of(zone.origin()),
                WebSocketsView.of(zone.settings()), live);
    }
}
