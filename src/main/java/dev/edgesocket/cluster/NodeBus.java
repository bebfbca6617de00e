package dev.edgesocket.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgesocket.config.EdgesocketConfig;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.smallrye.mutiny.Uni;

/**
 * The one way nodes talk to each other: Redis pub/sub, one channel per node ({@code P to:<node>}) and one that
 * every node hears ({@code P all}), on one subscription per node. A message is JSON,
 * {@code {"type", "from", "request", "body"}}; the features register a {@link Handler} per type (the sessions
 * answer {@code page} and {@code close}, the charts {@code samples}, the settings store hears {@code settings}).
 * <ul>
 * <li>{@link #ask} sends a question to one node and completes with its {@link Answer}: answered; <em>silent</em>
 * when nothing came back within {@link #ANSWER_WAIT} (or the question could not be sent); <em>gone</em> at once
 * when nobody listens on that node's channel (the node is dead: nothing waits for it).</li>
 * <li>{@link #askEveryOther} asks every other live node and completes when all answered or timed out, so a
 * caller always gets a partial answer naming the silent nodes.</li>
 * <li>Questions waiting for an answer are bounded ({@link #MAX_PENDING}): past that, a question is not sent and
 * counts as silent, so a flood of calls while other nodes are slow cannot grow memory.</li>
 * </ul>
 * A Redis outage fails nothing on this node: questions come back silent (or the live nodes cannot be read, which
 * the caller turns into a 503 with a sentence), and the subscription is made again with the registration.
 */
@Singleton
public class NodeBus {

    private static final Logger LOG = Logger.getLogger(NodeBus.class);
    /** How long a node is given to answer a question. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(1);
    /** Questions waiting for answers at most; past it a question counts as silent without being sent. */
    static final int MAX_PENDING = 10_000;
    static final String ANSWER = "answer";

    /** What a node did with a question. */
    enum Status {
        ANSWERED,
        /** No answer within the wait, or the question could not be sent: the node may hold something. */
        SILENT,
        /** Nobody listens on its channel: the node is gone and holds nothing. */
        GONE
    }

    /** One node's answer; {@code body} is empty unless {@code status} is ANSWERED. */
    record Answer(Status status, JsonNode body) {
    }

    /** Answers one type of message; null (or a message sent without a request) answers nothing. */
    @FunctionalInterface
    interface Handler {
        JsonNode answer(JsonNode body) throws Exception;
    }

    /** What the bus asks of Redis; tests give it one in memory. */
    interface Wire {
        /** Publishes; completes with how many subscribers got the message. */
        CompletionStage<Long> publish(String channel, String message);

        /** The live nodes and their last registered counts (JSON), by node. */
        CompletionStage<Map<String, JsonNode>> liveNodes();
    }

    private final String node;
    private final Keys keys;
    private final Wire wire;
    private final ObjectMapper json;
    private final RedisLink link; // null in tests: no subscription
    private final Duration answerWait;
    private final int maxPending;
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    // Questions to other nodes, removed on the answer or after the wait, whichever comes first.
    private final Map<Long, CompletableFuture<Answer>> pending = new ConcurrentHashMap<>();
    private volatile ReactiveRedisSubscriber subscriber;
    private volatile boolean subscribing;

    @Inject
    public NodeBus(RedisLink link, NodeIdentity identity, EdgesocketConfig config, ObjectMapper json) {
        this(identity.id(), new Keys(config.cluster().keyPrefix()), redisWire(link, new Keys(config.cluster().keyPrefix()),
                json), json, link, ANSWER_WAIT, MAX_PENDING);
    }

    NodeBus(String node, Keys keys, Wire wire, ObjectMapper json, RedisLink link, Duration answerWait, int maxPending) {
        this.node = node;
        this.keys = keys;
        this.wire = wire;
        this.json = json;
        this.link = link;
        this.answerWait = answerWait;
        this.maxPending = maxPending;
    }

    String node() {
        return node;
    }

    /** Registers the handler of one message type; one handler per type. */
    void handle(String type, Handler handler) {
        if (ANSWER.equals(type) || handlers.putIfAbsent(type, handler) != null) {
            throw new IllegalStateException("The node bus already has a handler for '" + type + "'");
        }
    }

    /** The live nodes (this one included, once registered) and their last registered counts, by node. */
    CompletionStage<Map<String, JsonNode>> liveNodes() {
        return wire.liveNodes();
    }

    // ------------------------------------------------------------------ sending

    /** Sends a message to one node without waiting for anything; lost if the node or Redis is away. */
    void send(String other, String type, JsonNode body) {
        wire.publish(keys.nodeChannel(other), envelope(type, 0, body)).whenComplete((receivers, f) -> {
            if (f != null) {
                LOG.debugf("A '%s' message to node '%s' was not sent: %s", type, other, RedisLink.describe(f));
            }
        });
    }

    /** Asks one node; never fails (see {@link Answer} and the class comment). */
    CompletableFuture<Answer> ask(String other, String type, JsonNode body) {
        if (pending.size() >= maxPending) { // checked loosely: a bound on memory, not an exact count
            LOG.debugf("%d questions wait for other nodes: a '%s' question to node '%s' was not sent", pending.size(),
                    type, other);
            return CompletableFuture.completedFuture(new Answer(Status.SILENT, json.missingNode()));
        }
        long request = requests.incrementAndGet();
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        pending.put(request, answer);
        CompletableFuture<Answer> bounded = answer
                .completeOnTimeout(new Answer(Status.SILENT, json.missingNode()), answerWait.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((a, f) -> pending.remove(request));
        wire.publish(keys.nodeChannel(other), envelope(type, request, body)).whenComplete((receivers, f) -> {
            if (f != null) {
                answer.complete(new Answer(Status.SILENT, json.missingNode()));
            } else if (receivers == 0) { // nobody listens: the node is gone, it holds nothing
                answer.complete(new Answer(Status.GONE, json.missingNode()));
            }
        });
        return bounded;
    }

    /**
     * Asks every other live node the same question and completes when all answered or timed out: the answers by
     * node. Fails when the live nodes cannot be read.
     */
    CompletableFuture<Map<String, Answer>> askEveryOther(String type, JsonNode body) {
        CompletableFuture<Map<String, Answer>> done = new CompletableFuture<>();
        wire.liveNodes().whenComplete((nodes, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
                return;
            }
            Map<String, CompletableFuture<Answer>> asked = new TreeMap<>();
            for (String other : nodes.keySet()) {
                if (!other.equals(node)) {
                    asked.put(other, ask(other, type, body));
                }
            }
            CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new)).whenComplete((v, f) -> {
                Map<String, Answer> answers = new TreeMap<>();
                asked.forEach((other, answer) -> answers.put(other, answer.join())); // ask never fails
                done.complete(answers);
            });
        });
        return done;
    }

    private String envelope(String type, long request, JsonNode body) {
        ObjectNode message = json.createObjectNode().put("type", type).put("from", node).put("request", request);
        message.set("body", body);
        return message.toString();
    }

    // ------------------------------------------------------------------ receiving

    /** A message on this node's channel or the every-node channel, on the subscription's event loop. */
    void onMessage(String message) {
        JsonNode m;
        try {
            m = json.readTree(message);
        } catch (Exception e) {
            LOG.warnf("A node message could not be read (%s): %s", e.getMessage(), message);
            return;
        }
        String type = m.path("type").asText();
        long request = m.path("request").asLong();
        if (type.equals(ANSWER)) {
            CompletableFuture<Answer> answer = pending.remove(request);
            if (answer != null) {
                answer.complete(new Answer(Status.ANSWERED, m.path("body")));
            }
            return;
        }
        Handler handler = handlers.get(type);
        if (handler == null) {
            LOG.debugf("Ignoring a node message of a type this version does not know: %s", message);
            return;
        }
        JsonNode answer;
        try {
            answer = handler.answer(m.path("body"));
        } catch (Exception e) {
            LOG.warnf("A node message could not be handled (%s): %s", e, message);
            return; // the asker counts this node silent
        }
        String from = m.path("from").asText("");
        if (request == 0 || answer == null || from.isEmpty()) {
            return;
        }
        wire.publish(keys.nodeChannel(from), envelope(ANSWER, request, answer)).whenComplete((r, f) -> {
            if (f != null) {
                LOG.debugf("An answer could not be sent: %s", RedisLink.describe(f));
            }
        });
    }

    // ------------------------------------------------------------------ the subscription

    /** True while the subscription is up (messages for this node arrive). */
    boolean subscribed() {
        return subscriber != null;
    }

    /** Subscribes to this node's channel and the every-node channel, unless subscribed (or subscribing) already. */
    Uni<Void> subscribe() {
        if (subscriber != null || subscribing) {
            return Uni.createFrom().voidItem();
        }
        subscribing = true;
        return link.subscribe(List.of(keys.everyNodeChannel(), keys.nodeChannel(node)), (channel, message) -> onMessage(message),
                () -> {
                    LOG.debugf("The subscription of node '%s' ended", node);
                    subscriber = null;
                }).invoke(s -> subscriber = s).eventually(() -> subscribing = false).replaceWithVoid();
    }

    /** Ends the subscription (at shutdown). */
    Uni<Void> unsubscribe() {
        ReactiveRedisSubscriber s = subscriber;
        subscriber = null;
        return s == null ? Uni.createFrom().voidItem() : s.unsubscribe();
    }

    /** The bus over Redis: PUBLISH, and the NODES script for the live nodes, with the link's deadline and tracking. */
    private static Wire redisWire(RedisLink link, Keys keys, ObjectMapper json) {
        return new Wire() {
            @Override
            public CompletionStage<Long> publish(String channel, String message) {
                return link.command("PUBLISH", channel, message).map(r -> r.toLong()).subscribeAsCompletionStage();
            }

            @Override
            public CompletionStage<Map<String, JsonNode>> liveNodes() {
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
                }).subscribeAsCompletionStage();
            }
        };
    }
}
