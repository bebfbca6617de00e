package dev.edgesocket.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgesocket.zone.EdgesocketConfig;
import dev.edgesocket.zone.SessionDirectory;
import dev.edgesocket.zone.SessionInfo;
import dev.edgesocket.zone.SettingsStore;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;
import dev.edgesocket.zone.ZoneSocket;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * Cluster mode: session ids are {@code <zone>-<node>-<sequence>}, unique across the cluster without asking
 * anyone, with a time-based sequence (microseconds since 1970, strictly increasing per node) so that the
 * order of the ids is the order of opening. Each socket is recorded at open and forgotten at close (one
 * script each; nothing per message): the zone's sorted set pages over the whole cluster, oldest first, and
 * a snapshot per session names its node. The live details of another node's sockets come from that node
 * (a request over its channel, answered within a second); a close goes to the node that holds the socket.
 */
@Singleton
@LookupIfProperty(name = "edgesocket.cluster.enabled", stringValue = "true")
public class RedisSessions implements SessionDirectory {

    private static final Logger LOG = Logger.getLogger(RedisSessions.class);
    static final Duration DETAILS_WAIT = Duration.ofSeconds(1);
    private static final int RESYNC_BATCH = 200;

    private final RedisLink link;
    private final Keys keys;
    private final String node;
    private final ZoneRegistry zones;
    private final ObjectMapper json;
    private final AtomicLong lastSequence = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    // Details asked of other nodes, removed on the answer or after DETAILS_WAIT, whichever comes first.
    private final Map<Long, CompletableFuture<List<SessionInfo>>> pending = new ConcurrentHashMap<>();
    // Sockets whose open is on its way to Redis, removed when it arrived (or at the socket's close).
    private final Map<ZoneSocket, CompletableFuture<Void>> recording = new ConcurrentHashMap<>();

    @Inject
    public RedisSessions(RedisLink link, NodeIdentity identity, EdgesocketConfig config, ZoneRegistry zones,
            ObjectMapper json) {
        this.link = link;
        this.keys = new Keys(config.cluster().keyPrefix());
        this.node = identity.id();
        this.zones = zones;
        this.json = json;
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public SessionId newSession(Zone zone) {
        long now = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
        long sequence = lastSequence.updateAndGet(last -> Math.max(now, last + 1));
        return new SessionId(sequence, zone.name() + "-" + node + "-" + sequence);
    }

    /** A session id of this zone, split: node and sequence; null when it is not one. */
    record ParsedId(String node, long sequence) {
    }

    static ParsedId parse(Zone zone, String id) {
        String prefix = zone.name() + "-";
        int dash = id.lastIndexOf('-');
        if (!id.startsWith(prefix) || dash <= prefix.length()) {
            return null;
        }
        try {
            return new ParsedId(id.substring(prefix.length(), dash), Long.parseLong(id.substring(dash + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String snapshot(ZoneSocket socket) {
        SessionInfo info = socket.info();
        ObjectNode o = json.createObjectNode();
        o.put("node", node);
        o.put("remoteAddress", info.remoteAddress());
        o.put("protocol", info.protocol());
        o.put("connectedAt", info.connectedAt().toEpochMilli());
        return o.toString();
    }

    @Override
    public void opened(Zone zone, ZoneSocket socket) {
        if (!link.up()) {
            return; // recorded again when the link returns
        }
        // The close of a short-lived socket must reach Redis after its open: the two may take different connections.
        CompletableFuture<Void> recorded = new CompletableFuture<>();
        recording.put(socket, recorded);
        link.eval(Lua.OPENED, List.of(keys.sessions(zone.name()), keys.info(zone.name()), keys.nodeSessions(node)),
                List.of(socket.id(), String.valueOf(socket.sequence()), snapshot(socket), zone.name() + "\n" + socket.id()))
                .subscribe().with(r -> recorded(socket, recorded), f -> {
                    LOG.debugf("Session %s could not be recorded in Redis: %s", socket.id(), RedisLink.describe(f));
                    recorded(socket, recorded);
                });
    }

    private void recorded(ZoneSocket socket, CompletableFuture<Void> recorded) {
        recording.remove(socket, recorded);
        recorded.complete(null);
    }

    @Override
    public void closed(Zone zone, ZoneSocket socket) {
        CompletableFuture<Void> recorded = recording.remove(socket);
        if (recorded == null) {
            forget(zone, socket);
        } else {
            recorded.whenComplete((v, f) -> forget(zone, socket));
        }
    }

    private void forget(Zone zone, ZoneSocket socket) {
        if (link.up()) {
            link.eval(Lua.CLOSED, List.of(keys.sessions(zone.name()), keys.info(zone.name()), keys.nodeSessions(node)),
                    List.of(socket.id(), zone.name() + "\n" + socket.id()))
                    .subscribe().with(r -> {
                    }, f -> LOG.debugf("Session %s could not be forgotten in Redis: %s", socket.id(), RedisLink.describe(f)));
        }
    }

    /** Forgets what this node recorded and records its open sockets again (after a re-registration). */
    Uni<Void> resync() {
        return link.eval(Lua.FORGET_SESSIONS, List.of(keys.nodeSessions(node)), List.of(keys.prefix()))
                .chain(() -> {
                    // Listed after the forget: a socket opening from now on records itself as well (ZADD is idempotent).
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (List<String> args : openSocketBatches()) {
                        chain = chain.chain(() -> link.eval(Lua.OPENED_MANY, List.of(keys.nodeSessions(node)), args)
                                .replaceWithVoid());
                    }
                    return chain;
                });
    }

    private List<List<String>> openSocketBatches() {
        List<List<String>> batches = new ArrayList<>();
        List<String> batch = null;
        for (Zone zone : zones.all()) {
            for (ZoneSocket socket : zone.openSockets()) {
                if (batch == null || batch.size() >= 1 + 4 * RESYNC_BATCH) {
                    batch = new ArrayList<>();
                    batch.add(keys.prefix());
                    batches.add(batch);
                }
                batch.addAll(List.of(zone.name(), socket.id(), String.valueOf(socket.sequence()), snapshot(socket)));
            }
        }
        return batches;
    }

    @Override
    public CompletionStage<Page> page(Zone zone, String after, int limit) {
        String afterScore = "-inf";
        String afterId = "";
        if (after != null && !after.isEmpty()) {
            ParsedId parsed = parse(zone, after);
            if (parsed == null) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("after must be a session id of zone '"
                        + zone.name() + "', such as " + zone.name() + "-" + node + "-1732900000000000."));
            }
            afterScore = String.valueOf(parsed.sequence());
            afterId = after;
        }
        if (!link.up()) {
            return CompletableFuture.failedFuture(unavailable());
        }
        CompletableFuture<Page> done = new CompletableFuture<>();
        link.eval(Lua.PAGE, List.of(keys.sessions(zone.name()), keys.info(zone.name())),
                List.of(keys.prefix() + "node:", afterScore, afterId, String.valueOf(limit)))
                .subscribe().with(reply -> details(zone, reply, limit, done),
                        f -> done.completeExceptionally(link.isLinkFailure(f) ? unavailable() : f));
        return done;
    }

    /** Fills in a page: this node's sockets from memory, the others' from their nodes (or their snapshots). */
    private void details(Zone zone, Response reply, int limit, CompletableFuture<Page> done) {
        try {
            List<String> ids = new ArrayList<>();
            Map<String, JsonNode> snapshots = new HashMap<>();
            Map<String, List<String>> byNode = new LinkedHashMap<>();
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                String id = reply.get(i).toString();
                JsonNode snapshot = json.readTree(reply.get(i + 1).toString());
                ids.add(id);
                snapshots.put(id, snapshot);
                String owner = snapshot.path("node").asText();
                if (!owner.equals(node)) {
                    byNode.computeIfAbsent(owner, n -> new ArrayList<>()).add(id);
                }
            }
            String next = ids.size() == limit ? ids.get(ids.size() - 1) : null;
            Map<String, CompletableFuture<List<SessionInfo>>> asked = new LinkedHashMap<>();
            byNode.forEach((owner, theirs) -> asked.put(owner, ask(owner, zone, theirs)));
            CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new)).whenComplete((v, f) -> {
                Map<String, SessionInfo> remote = new HashMap<>();
                java.util.Set<String> answered = new java.util.HashSet<>();
                asked.forEach((owner, answer) -> {
                    List<SessionInfo> found = answer.getNow(null);
                    if (found != null) {
                        answered.add(owner);
                        found.forEach(info -> remote.put(info.id(), info));
                    }
                });
                List<SessionInfo> page = new ArrayList<>(ids.size());
                for (String id : ids) {
                    JsonNode snapshot = snapshots.get(id);
                    String owner = snapshot.path("node").asText();
                    SessionInfo info;
                    if (owner.equals(node)) {
                        ParsedId parsed = parse(zone, id);
                        ZoneSocket socket = parsed == null ? null : zone.openSocket(parsed.sequence());
                        info = socket == null ? null : socket.info();
                    } else {
                        info = remote.get(id);
                        if (info == null && !answered.contains(owner)) { // no answer in time: what was known at open
                            info = new SessionInfo(id, snapshot.path("remoteAddress").asText(),
                                    snapshot.path("protocol").asText(),
                                    java.time.Instant.ofEpochMilli(snapshot.path("connectedAt").asLong()), null, null, 0, 0, 0,
                                    0, 0, null);
                        }
                    }
                    if (info != null) {
                        page.add(info.withNode(owner));
                    }
                }
                done.complete(new Page(page, next));
            });
        } catch (Exception e) {
            done.completeExceptionally(e);
        }
    }

    /** Asks another node for the live details of some of its sockets; null when it did not answer within DETAILS_WAIT. */
    private CompletableFuture<List<SessionInfo>> ask(String owner, Zone zone, List<String> ids) {
        long request = requests.incrementAndGet();
        CompletableFuture<List<SessionInfo>> answer = new CompletableFuture<>();
        pending.put(request, answer);
        CompletableFuture<List<SessionInfo>> bounded = answer
                .completeOnTimeout(null, DETAILS_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, f) -> pending.remove(request));
        ObjectNode ask = json.createObjectNode().put("op", "details").put("zone", zone.name()).put("reply", node)
                .put("request", request);
        ids.forEach(ask.putArray("ids")::add);
        link.command("PUBLISH", keys.nodeChannel(owner), ask.toString()).subscribe().with(r -> {
        }, f -> answer.complete(null));
        return bounded;
    }

    @Override
    public CompletionStage<Boolean> close(Zone zone, String id, int code, String reason) {
        ParsedId parsed = parse(zone, id);
        if (parsed == null) {
            return CompletableFuture.completedFuture(false);
        }
        if (parsed.node().equals(node)) {
            return CompletableFuture.completedFuture(closeLocal(zone, parsed.sequence(), code, reason));
        }
        if (!link.up()) {
            return CompletableFuture.failedFuture(unavailable());
        }
        ObjectNode command = json.createObjectNode().put("op", "close").put("zone", zone.name()).put("id", id)
                .put("code", code).put("reason", reason);
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        link.eval(Lua.KICK, List.of(keys.info(zone.name())),
                List.of(id, keys.prefix() + "node:", keys.prefix() + "to:", command.toString()))
                .subscribe().with(r -> done.complete(r.toLong() == 1),
                        f -> done.completeExceptionally(link.isLinkFailure(f) ? unavailable() : f));
        return done;
    }

    private static boolean closeLocal(Zone zone, long sequence, int code, String reason) {
        ZoneSocket socket = zone.openSocket(sequence);
        if (socket == null) {
            return false;
        }
        socket.close(code, reason);
        return true;
    }

    /** A command on this node's channel: a close, a request for details, or the answer to ours. */
    void onNodeMessage(String message) {
        try {
            JsonNode command = json.readTree(message);
            switch (command.path("op").asText()) {
                case "close" -> zones.named(command.path("zone").asText()).ifPresent(zone -> {
                    ParsedId parsed = parse(zone, command.path("id").asText());
                    if (parsed != null && !closeLocal(zone, parsed.sequence(), command.path("code").asInt(1000),
                            command.path("reason").asText(""))) {
                        LOG.debugf("Asked to close session %s, which is no longer open here", command.path("id").asText());
                    }
                });
                case "details" -> answerDetails(command);
                case "details-answer" -> {
                    CompletableFuture<List<SessionInfo>> answer = pending.remove(command.path("request").asLong());
                    if (answer != null) {
                        answer.complete(json.convertValue(command.get("sessions"), new TypeReference<List<SessionInfo>>() {
                        }));
                    }
                }
                default -> LOG.debugf("Ignoring a node command this version does not know: %s", message);
            }
        } catch (Exception e) {
            LOG.warnf("A node command could not be read (%s): %s", e.getMessage(), message);
        }
    }

    private void answerDetails(JsonNode command) {
        Zone zone = zones.named(command.path("zone").asText()).orElse(null);
        if (zone == null) {
            return;
        }
        List<SessionInfo> found = new ArrayList<>();
        for (JsonNode id : command.path("ids")) {
            ParsedId parsed = parse(zone, id.asText());
            ZoneSocket socket = parsed == null ? null : zone.openSocket(parsed.sequence());
            if (socket != null) {
                found.add(socket.info());
            }
        }
        ObjectNode answer = json.createObjectNode().put("op", "details-answer").put("request", command.path("request").asLong());
        answer.set("sessions", json.valueToTree(found));
        link.command("PUBLISH", keys.nodeChannel(command.path("reply").asText()), answer.toString()).subscribe().with(r -> {
        }, f -> LOG.debugf("Session details could not be sent: %s", RedisLink.describe(f)));
    }

    /** The live nodes and their last registered counts (JSON), by node. */
    Uni<Map<String, JsonNode>> liveNodes() {
        return link.eval(Lua.NODES, List.of(keys.nodes()), List.of(keys.prefix() + "node:")).map(reply -> {
            Map<String, JsonNode> nodes = new java.util.TreeMap<>();
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                try {
                    nodes.put(reply.get(i).toString(), json.readTree(reply.get(i + 1).toString()));
                } catch (Exception e) {
                    nodes.put(reply.get(i).toString(), json.createObjectNode());
                }
            }
            return nodes;
        });
    }

    @Override
    public CompletionStage<Map<String, NodeCounts>> nodeCounts(Zone zone) {
        NodeCounts mine = new NodeCounts(zone.openSocketCount(), zone.upgrades(), zone.refusedDisabled(), zone.refusedLimit());
        if (!link.up()) {
            return CompletableFuture.completedFuture(Map.of(node, mine));
        }
        CompletableFuture<Map<String, NodeCounts>> done = new CompletableFuture<>();
        liveNodes().subscribe().with(nodes -> {
            Map<String, NodeCounts> counts = new java.util.TreeMap<>();
            nodes.forEach((other, view) -> {
                JsonNode z = view.path("zones").path(zone.name());
                if (!other.equals(node) && z.isObject()) {
                    counts.put(other, new NodeCounts(z.path("openSockets").asInt(), z.path("upgrades").asLong(),
                            z.path("refusedDisabled").asLong(), z.path("refusedLimit").asLong()));
                }
            });
            counts.put(node, mine);
            done.complete(counts);
        }, f -> done.complete(Map.of(node, mine)));
        return done;
    }

    private SettingsStore.UnavailableException unavailable() {
        return new SettingsStore.UnavailableException("The cluster's session directory (Redis) cannot be reached ("
                + link.lastProblem() + "); try again when it is back.", null);
    }
}
