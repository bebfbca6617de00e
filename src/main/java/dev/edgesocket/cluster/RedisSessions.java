package dev.edgesocket.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgesocket.zone.SessionDirectory;
import dev.edgesocket.zone.SessionInfo;
import dev.edgesocket.zone.SettingsStore;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;
import dev.edgesocket.zone.ZoneSocket;
import io.quarkus.arc.lookup.LookupIfProperty;

/**
 * Cluster mode: session ids are {@code <zone>-<node>-<sequence>}, unique across the cluster without asking
 * anyone, with a time-based sequence (microseconds since 1970, strictly increasing per node) so that ids sort
 * in the order sockets opened, across nodes too. Each node keeps only its own sockets, in memory, as on a
 * single node: nothing is written to Redis per connection. A listing asks every live node for its part of the
 * page on the {@link NodeBus} ({@value #PAGE}) and merges the answers; a close ({@value #CLOSE}) goes to the node
 * named in the id, which answers whether it had the socket. A node that does not answer within a second is left
 * out of the page and named in it; a node that is gone has no subscription, so nothing waits for it.
 */
@Singleton
@LookupIfProperty(name = "edgesocket.cluster.enabled", stringValue = "true")
public class RedisSessions implements SessionDirectory {

    /** The bus's message types this class answers. */
    static final String PAGE = "page";
    static final String CLOSE = "close";
    private static final Comparator<SessionInfo> OPENING_ORDER = Comparator
            .comparingLong((SessionInfo s) -> sequenceOf(s.id())).thenComparing(SessionInfo::id);

    private final RedisLink link;
    private final NodeBus bus;
    private final String node;
    private final ZoneRegistry zones;
    private final ObjectMapper json;
    private final AtomicLong lastSequence = new AtomicLong();

    @Inject
    public RedisSessions(RedisLink link, NodeBus bus, ZoneRegistry zones, ObjectMapper json) {
        this.link = link;
        this.bus = bus;
        this.node = bus.node();
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
        ObjectNode question = json.createObjectNode().put("zone", zone.name())
                .put("afterSequence", afterSequence).put("afterId", afterId).put("limit", limit);
        return bus.askEveryOther(PAGE, question).handle((answers, f) -> {
            if (f != null) {
                Throwable cause = f instanceof CompletionException && f.getCause() != null ? f.getCause() : f;
                throw new CompletionException(link.isLinkFailure(cause) ? unavailable() : cause);
            }
            List<SessionInfo> all = new ArrayList<>(localPage(zone, afterSequence, afterId, limit));
            List<String> unanswered = new ArrayList<>();
            answers.forEach((other, answer) -> {
                switch (answer.status()) {
                    case SILENT -> unanswered.add(other);
                    case GONE -> {
                        // gone: it holds no sockets
                    }
                    case ANSWERED -> {
                        List<SessionInfo> theirs = json.convertValue(answer.body().get("sessions"),
                                new TypeReference<List<SessionInfo>>() {
                                });
                        theirs.forEach(s -> all.add(s.withNode(other)));
                    }
                }
            });
            all.sort(OPENING_ORDER);
            List<SessionInfo> page = all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
            String next = page.size() == limit ? page.get(page.size() - 1).id() : null;
            return new Page(page, next, unanswered);
        });
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
        ObjectNode command = json.createObjectNode().put("zone", zone.name()).put("id", id)
                .put("code", code).put("reason", reason);
        return bus.ask(parsed.node(), CLOSE, command).thenApply(answer -> switch (answer.status()) {
            case SILENT -> throw new SettingsStore.UnavailableException("Node '" + parsed.node() + "', which holds session "
                    + id + ", did not answer within " + NodeBus.ANSWER_WAIT.toMillis() + " ms; try again.", null);
            case GONE -> false; // gone: it holds no sockets
            case ANSWERED -> answer.body().path("closed").asBoolean();
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

    /** The bus's {@value #PAGE}: this node's part of a page. */
    JsonNode answerPage(JsonNode question) {
        Zone zone = zones.named(question.path("zone").asText()).orElse(null);
        return json.createObjectNode().set("sessions", json.valueToTree(zone == null ? List.of()
                : localPage(zone, question.path("afterSequence").asLong(), question.path("afterId").asText(),
                        Math.max(1, Math.min(1000, question.path("limit").asInt(100))))));
    }

    /** The bus's {@value #CLOSE}: closes a socket of this node, answering whether it had it. */
    JsonNode answerClose(JsonNode command) {
        Zone zone = zones.named(command.path("zone").asText()).orElse(null);
        ParsedId parsed = zone == null ? null : parse(zone, command.path("id").asText());
        return json.createObjectNode().put("closed", parsed != null && parsed.node().equals(node)
                && closeLocal(zone, parsed.sequence(), command.path("code").asInt(1000), command.path("reason").asText("")));
    }

    @Override
    public CompletionStage<Map<String, NodeCounts>> nodeCounts(Zone zone) {
        NodeCounts mine = new NodeCounts(zone.openSocketCount(), zone.upgrades(), zone.refusedDisabled(), zone.refusedLimit(),
                zone.refusedOrigin());
        if (!link.up()) {
            return CompletableFuture.completedFuture(Map.of(node, mine));
        }
        CompletableFuture<Map<String, NodeCounts>> done = new CompletableFuture<>();
        bus.liveNodes().whenComplete((nodes, f) -> {
            if (f != null) {
                done.complete(Map.of(node, mine));
                return;
            }
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
        });
        return done;
    }

    private SettingsStore.UnavailableException unavailable() {
        return new SettingsStore.UnavailableException("The cluster (Redis) cannot be reached (" + link.lastProblem()
                + "), so other servers' sessions cannot be listed or closed; try again when it is back.", null);
    }
}
