package dev.edgesocket.admin;

import java.util.Locale;

import dev.edgesocket.zone.Zone;

/** A zone in the config API: what it is, its settings, and its live counts. */
@io.quarkus.runtime.annotations.RegisterForReflection
public record ZoneView(String name, String path, String dispatch, WebSocketsView websockets, Live live) {

    /** Live counts since the server started. */
    public record Live(int openSockets, long upgrades, long refusedDisabled, long refusedLimit, long refusedOrigin) {
    }

    static ZoneView of(Zone zone) {
        return new ZoneView(zone.name(), zone.path(), zone.dispatch().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                WebSocketsView.of(zone.settings()),
                new Live(zone.openSocketCount(), zone.upgrades(), zone.refusedDisabled(), zone.refusedLimit(),
                        zone.refusedOrigin()));
    }
}
