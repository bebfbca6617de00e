package dev.edgesocket.cluster;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.zone.OriginSettings;
import dev.edgesocket.zone.SettingsRules;
import dev.edgesocket.zone.SettingsStore;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;
import dev.edgesocket.zone.ZoneSettings;
import dev.edgesocket.zone.ZoneSocket;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.smallrye.mutiny.Uni;

/**
 * Cluster mode: the fields changed over HTTP live in Redis ({@code P zone:Z:overrides}, one hash field per
 * setting, so concurrent changes of different fields on different nodes both stay), laid over each node's
 * configuration baseline as the state file does on a single node. A change is stored and announced in one
 * script; every node applies the announcement at once, and re-reads everything every sync-interval, so a
 * lost notification heals by itself. With Redis unreachable a change is refused and nothing changes.
 */
@Singleton
@LookupIfProperty(name = "edgesocket.cluster.enabled", stringValue = "true")
public class RedisSettingsStore implements SettingsStore {

    private static final Logger LOG = Logger.getLogger(RedisSettingsStore.class);
    static final String CLOSE_REASON = "WebSockets were disabled for this zone";

    private final RedisLink link;
    private final Keys keys;
    private final ZoneRegistry zones;
    private final SettingsRules rules;
    private final ObjectMapper json;
    // The last overrides applied per zone and their version: only newer ones are applied, and bad stored values
    // are warned about once.
    private final OverridesVersions applied = new OverridesVersions();

    @Inject
    public RedisSettingsStore(RedisLink link, EdgesocketConfig config, ZoneRegistry zones, SettingsRules rules,
            ObjectMapper json) {
        this.link = link;
        this.keys = new Keys(config.cluster().keyPrefix());
        this.zones = zones;
        this.rules = rules;
        this.json = json;
    }

    @Override
    public CompletionStage<ZoneSettings> change(Zone zone, JsonNode changes, boolean closeExisting) {
        CompletableFuture<ZoneSettings> done = new CompletableFuture<>();
        if (!link.up()) {
            done.completeExceptionally(unavailable(null));
            return done;
        }
        List<String> args = new ArrayList<>();
        args.add(keys.everyNodeChannel()); // the CHANGE script tells every node on the bus
        args.add(zone.name());
        args.add(String.valueOf(closeExisting));
        // One hash field per setting; the origin's URL is the field "origin.url" (JSON null: no origin).
        for (Iterator<Map.Entry<String, JsonNode>> it = changes.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            args.add(field.getKey());
            args.add(field.getValue().toString());
        }
        link.eval(Lua.CHANGE, List.of(keys.overrides(zone.name())), args).subscribe().with(reply -> {
            try {
                done.complete(apply(zone, reply.get(0).toString(), reply.get(1).toLong(), false));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, failure -> done.completeExceptionally(link.isLinkFailure(failure) ? unavailable(failure)
                : new IllegalStateException("Redis refused the change: " + failure.getMessage(), failure)));
        return done;
    }

    private SettingsStore.UnavailableException unavailable(Throwable cause) {
        return new SettingsStore.UnavailableException("The cluster's settings store (Redis) cannot be reached ("
                + (cause == null ? link.lastProblem() : RedisLink.describe(cause)) + "), so the change was not made on any "
                + "server. Try again when it is back.", cause);
    }

    /** The bus's message type of a settings change, sent by the CHANGE script to every node. */
    static final String NOTIFICATION = "settings";

    /**
     * A change made on another node (or this one), from the bus: {@code {"zone", "closeExisting", "version",
     * "overrides"}}. Answers nothing.
     */
    JsonNode onNotification(JsonNode note) {
        try {
            Zone zone = zones.named(note.path("zone").asText()).orElse(null);
            if (zone == null) {
                return null; // a zone this node's configuration does not have
            }
            ZoneSettings settings = apply(zone, note.get("overrides").toString(),
                    note.path("version").asLong(OverridesVersions.UNVERSIONED), true);
            if (note.path("closeExisting").asBoolean() && !settings.enabled()) {
                for (ZoneSocket socket : zone.openSockets()) {
                    socket.close(1001, CLOSE_REASON);
                }
            }
        } catch (Exception e) {
            LOG.warnf("A settings notification could not be read (%s): %s", e.getMessage(), note);
        }
        return null;
    }

    /** Re-reads every zone's overrides (start, reconnect, every sync-interval). */
    Uni<Void> reload() {
        List<String> args = new ArrayList<>();
        args.add(keys.prefix());
        zones.all().forEach(z -> args.add(z.name()));
        return link.eval(Lua.OVERRIDES, List.of(), args).invoke(reply -> {
            for (int i = 0; i + 2 < reply.size(); i += 3) {
                String overrides = reply.get(i + 1).toString();
                long version = reply.get(i + 2).toLong();
                zones.named(reply.get(i).toString()).ifPresent(zone -> apply(zone, overrides, version, true));
            }
        }).replaceWithVoid();
    }

    /**
     * Lays stored overrides over the zone's baseline and swaps its settings, unless a newer version of them is
     * already applied (a reply overtaken by a later change's notification) or they are the same.
     */
    private ZoneSettings apply(Zone zone, String overridesJson, long version, boolean log) {
        synchronized (zone) { // one reply of a zone at a time: the version check and the swap go together
            String before = applied.lastOverrides(zone.name());
            if (!applied.isNewer(zone.name(), version, overridesJson)) {
                return zone.settings();
            }
            if (overridesJson.equals(before)) {
                applied.applied(zone.name(), version, overridesJson);
                return zone.settings();
            }
            JsonNode overrides;
            try {
                overrides = json.readTree(overridesJson);
            } catch (Exception e) {
                throw new IllegalStateException("The stored settings of zone '" + zone.name() + "' are not JSON: "
                        + overridesJson, e);
            }
            Map<String, String> problems = new java.util.LinkedHashMap<>(rules.problems(overrides));
            OriginSettings origin = problems.isEmpty() ? rules.origin(zone, overrides) : null;
            if (problems.isEmpty() && origin == null && zone.script() == null) {
                problems.put("origin.url", "would leave the zone with neither a script nor an origin");
            }
            applied.applied(zone.name(), version, overridesJson); // bad values too: warned about once
            if (!problems.isEmpty()) {
                LOG.warnf("Zone '%s' keeps its settings: the cluster's stored changes %s have bad values %s",
                        zone.name(), overridesJson, problems);
                return zone.settings();
            }
            ZoneSettings next = rules.apply(zone.baseline(), overrides);
            zone.replaceSettings(next);
            zone.replaceOrigin(origin); // sockets and requests already under way keep the origin they started with
            if (log && !(overrides instanceof ObjectNode o && o.isEmpty() && before == null)) {
                LOG.infof("Zone '%s' takes the cluster's changed settings: %s", zone.name(), overridesJson);
            }
            return next;
        }
    }
}
