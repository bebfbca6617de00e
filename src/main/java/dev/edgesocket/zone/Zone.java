package dev.edgesocket.zone;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.edgesocket.api.EdgeScript;
import dev.edgesocket.config.EdgesocketConfig.Dispatch;

/**
 * A path with a script and WebSocket settings (Bunny's Pull Zone), the sockets open in it, and its
 * live counts.
 */
public final class Zone {

    private final String name;
    private final String path;
    private final List<String> hosts;
    private final EdgeScript script;
    private final Dispatch dispatch;
    private final ZoneSettings baseline;
    private volatile ZoneSettings settings;
    private volatile OriginSettings origin;
    // Open sockets by sequence, removed when their close event fires: bounded by max-connections.
    private final ConcurrentNavigableMap<Long, ZoneSocket> openSockets = new ConcurrentSkipListMap<>();
    // Places taken by upgrades in progress and open sockets; what max-connections limits.
    private final AtomicInteger places = new AtomicInteger();
    // One counter per upgrade outcome: the config API, the cluster's sums and the meters all read these.
    private final LongAdder[] outcomes = new LongAdder[UpgradeOutcome.values().length];

    public Zone(String name, String path, EdgeScript script, Dispatch dispatch, ZoneSettings baseline) {
        this(name, List.of(), path, script, dispatch, baseline);
    }

    /** A zone for {@code hosts} (empty: any host) and {@code path} (exact, or a prefix ending in {@code /*}). */
    public Zone(String name, List<String> hosts, String path, EdgeScript script, Dispatch dispatch, ZoneSettings baseline) {
        this(name, hosts, path, script, null, dispatch, baseline);
    }

    /** A zone with a script, an origin (a Pull Zone), or both (a middleware script in front of the origin). */
    public Zone(String name, List<String> hosts, String path, EdgeScript script, OriginSettings origin, Dispatch dispatch,
            ZoneSettings baseline) {
        this.name = name;
        this.origin = origin;
        this.hosts = List.copyOf(hosts);
        this.path = path;
        this.script = script;
        this.dispatch = dispatch;
        this.baseline = baseline;
        this.settings = baseline;
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = new LongAdder();
        }
    }

    public String name() {
        return name;
    }

    /** The path it answers: exact, or a prefix written with a trailing {@code /*}. */
    public String path() {
        return path;
    }

    /** The host names it answers ({@code *.example.com} for any name below); empty for any host. */
    public List<String> hosts() {
        return hosts;
    }

    /** The zone's script, or null in a Pull Zone. */
    public EdgeScript script() {
        return script;
    }

    /** The server behind the zone, or null when it has none. */
    public OriginSettings origin() {
        return origin;
    }

    /** Swaps the origin (null: none); requests and sockets already under way keep the one they started with. */
    public void replaceOrigin(OriginSettings newOrigin) {
        this.origin = newOrigin;
    }

    /** Standalone, Pull Zone or middleware, from the script and the origin as they are now. */
    public ZoneKind kind() {
        OriginSettings current = origin;
        if (current == null) {
            return ZoneKind.STANDALONE;
        }
        return script == null ? ZoneKind.PULL_ZONE : ZoneKind.MIDDLEWARE;
    }

    public Dispatch dispatch() {
        return dispatch;
    }

    public ZoneSettings settings() {
        return settings;
    }

    /** The settings from configuration, before any runtime change. */
    public ZoneSettings baseline() {
        return baseline;
    }

    /** Swaps the settings; new upgrades see them at once, open sockets keep the limits they opened with. */
    public void replaceSettings(ZoneSettings newSettings) {
        this.settings = newSettings;
    }

    /** Takes a place for an upgrade unless {@code max} are taken. */
    public boolean tryTakePlace(int max) {
        for (;;) {
            int taken = places.get();
            if (taken >= max) {
                return false;
            }
            if (places.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
    }

    /** Takes a place that was granted elsewhere (the cluster's count). */
    public void takePlace() {
        places.incrementAndGet();
    }

    /** Gives back a place: the upgrade did not happen, or the socket closed. */
    public void releasePlace() {
        places.decrementAndGet();
    }

    /** Places held on this server: upgrades in progress and open sockets. */
    public int placesTaken() {
        return places.get();
    }

    /** Counts an upgrade request's outcome; an accepted one is counted when its socket opens. */
    public void count(UpgradeOutcome outcome) {
        outcomes[outcome.ordinal()].increment();
    }

    /** Upgrade requests with this outcome since start. */
    public long outcomes(UpgradeOutcome outcome) {
        return outcomes[outcome.ordinal()].sum();
    }

    public void socketOpened(ZoneSocket socket) {
        count(UpgradeOutcome.ACCEPTED);
        openSockets.put(socket.sequence(), socket);
    }

    public void socketClosed(ZoneSocket socket) {
        openSockets.remove(socket.sequence());
    }

    public int openSocketCount() {
        return openSockets.size();
    }

    public Collection<ZoneSocket> openSockets() {
        return Collections.unmodifiableCollection(openSockets.values());
    }

    /** Up to {@code limit} open sockets opened after the one with sequence {@code after}, in order. */
    public List<ZoneSocket> openSocketsAfter(long after, int limit) {
        return openSockets.tailMap(after, false).values().stream().limit(limit).toList();
    }

    /** The open socket with this sequence, or {@code null}. */
    public ZoneSocket openSocket(long sequence) {
        return openSockets.get(sequence);
    }

    public long upgrades() {
        return outcomes(UpgradeOutcome.ACCEPTED);
    }

    public long refusedDisabled() {
        return outcomes(UpgradeOutcome.REFUSED_DISABLED);
    }

    public long refusedOrigin() {
        return outcomes(UpgradeOutcome.REFUSED_ORIGIN);
    }

    public long refusedLimit() {
        return outcomes(UpgradeOutcome.REFUSED_LIMIT);
    }
}
