package dev.edgesocket.admin;

import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.edgesocket.zone.SessionDirectory.NodeCounts;
import dev.edgesocket.zone.Zone;

/** A zone in the config API: what it is, its settings, and its live counts. */
@io.quarkus.runtime.annotations.RegisterForReflection
public record ZoneView(String name, String path, String dispatch,
        @org.eclipse.microprofile.openapi.annotations.media.Schema(ref = SettingsSchemas.VIEW) WebSocketsView websockets,
        Live live) {

    /**
     * Live counts since the server started; in cluster mode the sums over the live nodes, and {@code nodes}
     * gives each node's own (absent on a single node).
     */
    public record Live(int openSockets, long upgrades, long refusedDisabled, long refusedLimit, long refusedOrigin,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, NodeCounts> nodes) {
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
        return new ZoneView(zone.name(), zone.path(), zone.dispatch().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                WebSocketsView.of(zone.settings()), live);
    }
}
