package dev.edgesocket.zone;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.edgesocket.api.EdgeScript;
import dev.edgesocket.api.WebSocket;
import dev.edgesocket.zone.EdgesocketConfig.Dispatch;

/** A path with a script and WebSocket settings (Bunny's Pull Zone), and the sockets open in it. */
public final class Zone {

    private final String name;
    private final String path;
    private final EdgeScript script;
    private final Dispatch dispatch;
    private volatile ZoneSettings settings;
    // Every open socket, removed when its close event fires: the map cannot outgrow max-connections.
    private final Map<String, WebSocket> openSockets = new ConcurrentHashMap<>();

    public Zone(String name, String path, EdgeScript script, Dispatch dispatch, ZoneSettings settings) {
        this.name = name;
        this.path = path;
        this.script = script;
        this.dispatch = dispatch;
        this.settings = settings;
    }

    public String name() {
        return name;
    }

    public String path() {
        return path;
    }

    public EdgeScript script() {
        return script;
    }

    public Dispatch dispatch() {
        return dispatch;
    }

    public ZoneSettings settings() {
        return settings;
    }

    /** Swaps the settings; sockets already open keep the limits they were opened with. */
    public void replaceSettings(ZoneSettings newSettings) {
        this.settings = newSettings;
    }

    public void socketOpened(WebSocket socket) {
        openSockets.put(socket.id(), socket);
    }

    public void socketClosed(WebSocket socket) {
        openSockets.remove(socket.id());
    }

    public int openSocketCount() {
        return openSockets.size();
    }

    public Collection<WebSocket> openSockets() {
        return Collections.unmodifiableCollection(openSockets.values());
    }

    public WebSocket openSocket(String id) {
        return openSockets.get(id);
    }
}
