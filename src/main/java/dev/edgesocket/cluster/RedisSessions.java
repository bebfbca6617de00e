package dev.edgesocket.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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

import dev.edgesocket.metrics.ZoneHistory;
import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.zone.SessionDirectory;
import dev.edgesocket.zone.SessionInfo;
import dev.edgesocket.zone.SettingsStore;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;
import dev.edgesocket.zone.ZoneSocket;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.smallrye.mutiny.Uni;

/**
 * Cluster mode: session ids are {@code <zone>-<node>-<sequence>}, unique across the cluster without asking
 * anyone, with a time-based sequence (microseconds since 1970, strictly increasing per node) so that ids sort
 * in the order sockets opened, across nodes too. Each node keeps only its own sockets, in memory, as on a
 * single node: nothing is written to Redis per connection. A listing asks every live node for its part of the
 * page over the node's channel ({@code P to:<node>}) and merges the answers; a close goes to the node named in
 * the id, which answers whether it had the socket. A node that does not answer within a second is left out of
 * the page and named in it; a node that is gone has no subscription, so nothing waits for it.
 */
@Singleton
@LookupIfProperty(name = "edgesocket.cluster.enabled", stringValue = "true")
public class RedisSessions implements SessionDirectory {

    private static final Logger LOG = Logger.getLogger(RedisSessions.class);
    static final Duration ANSWER_WAIT = Duration.ofSeconds(1);
    private static final Comparator<SessionInfo> OPENING_ORDER = Comparator
            .comparingLong((SessionInfo s) -> sequenceOf(s.id())).thenComparing(SessionInfo::id);

    private final RedisLink link;
    private final Keys keys;
    private final String node;
    private final ZoneRegistry zones;
    private final ObjectMapper json;
    private final ZoneHistory history;
    private final AtomicLong lastSequence = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    // Questions to other nodes, removed on the answer or after ANSWER_WAIT, whichever comes first.
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    @Inject
    public RedisSessions(RedisLink link, NodeIdentity identity, EdgesocketConfig config, ZoneRegistry zones,
            ObjectMapper json, ZoneHistory history) {
        this.link = link;
        this.keys = new Keys(config.cluster().keyPrefix());
        this.node = identity.id();
        this.zones = zones;
        this.json = json;
        this.history = history;
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

    private static long sequenceOf(String id) {
        return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }

    @Override
    public CompletionStage<Page> page(Zone zone, String after, int limit) {
        ParsedId cursor = null;
        if (after != null && !after.isEmpty()) {
            cursor = parse(zone, after);
            if (cursor == null) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("after must be a session id of zone '"
                        + zone.name() + "', such as " + zone.name() + "-" + node + "-1732900000000000."));
            }
        }
        if (!link.up()) {
            return CompletableFuture.failedFuture(unavailable());
        }
        String afterId = cursor == null ? "" : after;
        long afterSequence = cursor == null ? 0 : cursor.sequence();
        ObjectNode question = json.createObjectNode().put("op", "page").put("zone", zone.name())
                .put("afterSequence", afterSequence).put("afterId", afterId).put("limit", limit);
        return askEveryOther(question).handle((answers, f) -> {
            if (f != null) {
                throw new CompletionException(link.isLinkFailure(f) ? unavailable() : f);
            }
            List<SessionInfo> all = new ArrayList<>(localPage(zone, afterSequence, afterId, limit));
            List<String> unanswered = new ArrayList<>();
            answers.forEach((other, answer) -> {
                if (answer == null) {
                    unanswered.add(other);
                } else {
                    List<SessionInfo> theirs = json.convertValue(answer.get("sessions"),
                            new TypeReference<List<SessionInfo>>() {
                            });
                    theirs.forEach(s -> all.add(s.withNode(other)));
                }
            });
            all.sort(OPENING_ORDER);
            List<SessionInfo> page = all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
            String next = page.size() == limit ? page.get(page.size() - 1).id() : null;
            return new Page(page, next, unanswered);
        });
    }

    /**
     * Asks every other live node the same question (each gets its own copy) and completes when all answered or
     * timed out: the answers by node, null for a node that did not answer within ANSWER_WAIT. Fails when the
     * live nodes cannot be read.
     */
    CompletableFuture<Map<String, JsonNode>> askEveryOther(ObjectNode question) {
        CompletableFuture<Map<String, JsonNode>> done = new CompletableFuture<>();
        liveNodes().subscribe().with(nodes -> {
            Map<String, CompletableFuture<JsonNode>> asked = new TreeMap<>();
            for (String other : nodes.keySet()) {
                if (!other.equals(node)) {
                    asked.put(other, ask(other, question.deepCopy()));
                }
            }
            CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new)).whenComplete((v, f) -> {
                Map<String, JsonNode> answers = new TreeMap<>();
                asked.forEach((other, answer) -> answers.put(other, answer.getNow(null)));
                done.complete(answers);
            });
        }, done::completeExceptionally);
        return done;
    }

    /** This node's sockets of the zone after (sequence, id) in opening order, at most {@code limit}. */
    private List<SessionInfo> localPage(Zone zone, long afterSequence, String afterId, int limit) {
        List<SessionInfo> page = new ArrayList<>(Math.min(limit, 64));
        // Sequences are unique per node, but another node's socket may share this one's sequence: the id breaks the tie.
        ZoneSocket same = afterSequence == 0 ? null : zone.openSocket(afterSequence);
        if (same != null && same.id().compareTo(afterId) > 0) {
            page.add(same.info().withNode(node));
        }
        for (ZoneSocket socket : zone.openSocketsAfter(afterSequence, limit - page.size())) {
            page.add(socket.info().withNode(node));
        }
        return page;
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
        return ask(parsed.node(), command).thenApply(answer -> {
            if (answer == null) {
                throw new SettingsStore.UnavailableException("Node '" + parsed.node() + "', which holds session " + id
                        + ", did not answer within " + ANSWER_WAIT.toMillis() + " ms; try again.", null);
            }
            return answer.path("closed").asBoolean();
        });
    }

    private static boolean closeLocal(Zone zone, long sequence, int code, String reason) {
        ZoneSocket socket = zone.openSocket(sequence);
        if (socket == null) {
            return false;
        }
        socket.close(code, reason);
        return true;
    }

    /**
     * Asks another node over its channel. Completes with its answer; with null when it did not answer within
     * ANSWER_WAIT; at once with an empty answer when nobody listens there (the node is gone).
     */
    CompletableFuture<JsonNode> ask(String other, ObjectNode question) {
        long request = requests.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(request, answer);
        CompletableFuture<JsonNode> bounded = answer.completeOnTimeout(null, ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, f) -> pending.remove(request));
        question.put("reply", node).put("request", request);
        link.command("PUBLISH", keys.nodeChannel(other), question.toString()).subscribe().with(receivers -> {
            if (receivers.toLong() == 0) { // nobody listens: the node is gone, it holds nothing
                answer.complete(json.createObjectNode().put("closed", false).set("sessions", json.createArrayNode()));
            }
        }, f -> answer.complete(null));
        return bounded;
    }

    /** A question or an answer on this node's channel. */
    void onNodeMessage(String message) {
        try {
            JsonNode m = json.readTree(message);
            String op = m.path("op").asText();
            if (op.equals("answer")) {
                CompletableFuture<JsonNode> answer = pending.remove(m.path("request").asLong());
                if (answer != null) {
                    answer.complete(m);
                }
                return;
            }
            Zone zone = zones.named(m.path("zone").asText()).orElse(null);
            ObjectNode answer = json.createObjectNode().put("op", "answer").put("request", m.path("request").asLong());
            switch (op) {
                case "close" -> {
                    ParsedId parsed = zone == null ? null : parse(zone, m.path("id").asText());
                    answer.put("closed", parsed != null && parsed.node().equals(node)
                            && closeLocal(zone, parsed.sequence(), m.path("code").asInt(1000), m.path("reason").asText("")));
                }
                case "page" -> answer.set("sessions", json.valueToTree(zone == null ? List.of()
                        : localPage(zone, m.path("afterSequence").asLong(), m.path("afterId").asText(),
                                Math.max(1, Math.min(1000, m.path("limit").asInt(100))))));
                // The console's charts (RedisHistories): this node's samples, bounded by ZoneHistory.CAPACITY.
                case "samples" -> answer.set("zones", json.valueToTree(history.series(
                        m.path("zone").isTextual() ? m.path("zone").asText() : null, m.path("since").asLong())));
                default -> {
                    LOG.debugf("Ignoring a node command this version does not know: %s", message);
                    return;
                }
            }
            link.command("PUBLISH", keys.nodeChannel(m.path("reply").asText()), answer.toString()).subscribe().with(r -> {
            }, f -> LOG.debugf("An answer could not be sent: %s", RedisLink.describe(f)));
        } catch (Exception e) {
            LOG.warnf("A node command could not be read (%s): %s", e.getMessage(), message);
        }
    }

    /** The live nodes and their last registered counts (JSON), by node. */
    Uni<Map<String, JsonNode>> liveNodes() {
        return link.eval(Lua.NODES, List.of(keys.nodes()), List.of(keys.prefix() + "node:")).map(reply -> {
            Map<String, JsonNode> nodes = new TreeMap<>();
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
        NodeCounts mine = new NodeCounts(zone.openSocketCount(), zone.upgrades(), zone.refusedDisabled(), zone.refusedLimit(),
                zone.refusedOrigin());
        if (!link.up()) {
            return CompletableFuture.completedFuture(Map.of(node, mine));
        }
        CompletableFuture<Map<String, NodeCounts>> done = new CompletableFuture<>();
        liveNodes().subscribe().with(nodes -> {
            Map<String, NodeCounts> counts = new TreeMap<>();
            nodes.forEach((other, view) -> {
                JsonNode z = view.path("zones").path(zone.name());
                if (!other.equals(node) && z.isObject()) {
                    counts.put(other, new NodeCounts(z.path("openSockets").asInt(), z.path("upgrades").asLong(),
                            z.path("refusedDisabled").asLong(), z.path("refusedLimit").asLong(),
                            z.path("refusedOrigin").asLong()));
                }
            });
            counts.put(node, mine);
            done.complete(counts);
        }, f -> done.complete(Map.of(node, mine)));
        return done;
    }

    private SettingsStore.UnavailableException unavailable() {
        return new SettingsStore.UnavailableException("The cluster (Redis) cannot be reached (" + link.lastProblem()
                + "), so other servers' sessions cannot be listed or closed; try again when it is back.", null);
    }
}
