package dev.edgesocket.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edgesocket.cluster.NodeBus.Answer;
import dev.edgesocket.cluster.NodeBus.Status;

/**
 * The node bus's rules without a Redis: buses of several nodes on an in-memory pub/sub that delivers on one
 * thread, as a subscription's event loop does. Partial answers, silent and gone nodes, the bound on questions
 * waiting, and a Redis that cannot be reached.
 */
class NodeBusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Keys KEYS = new Keys("t:");
    private static final Duration WAIT = Duration.ofMillis(300);

    /** Pub/sub in memory: channel -> the bus subscribed to it; the live nodes as the NODES script lists them. */
    private final Map<String, NodeBus> subscribed = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> live = new ConcurrentHashMap<>();
    private final List<String> published = new CopyOnWriteArrayList<>();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor();
    private volatile boolean redisAway;

    @AfterEach
    void stop() {
        delivery.shutdownNow();
    }

    private final NodeBus.Wire wire = new NodeBus.Wire() {
        @Override
        public CompletionStage<Long> publish(String channel, String message) {
            if (redisAway) {
                return CompletableFuture.failedFuture(new java.net.ConnectException("Connection refused"));
            }
            published.add(channel + " " + message);
            NodeBus to = subscribed.get(channel);
            if (to == null) {
                return CompletableFuture.completedFuture(0L);
            }
            delivery.execute(() -> to.onMessage(message));
            return CompletableFuture.completedFuture(1L);
        }

        @Override
        public CompletionStage<Map<String, JsonNode>> liveNodes() {
            return redisAway ? CompletableFuture.failedFuture(new java.net.ConnectException("Connection refused"))
                    : CompletableFuture.completedFuture(new TreeMap<>(live));
        }
    };

    /** A node on the bus: registered (live) and, unless {@code listening} is false, subscribed to its channel. */
    private NodeBus node(String id, boolean listening, int maxPending) {
        NodeBus bus = new NodeBus(id, KEYS, wire, JSON, null, WAIT, maxPending);
        live.put(id, JSON.createObjectNode());
        if (listening) {
            subscribed.put(KEYS.nodeChannel(id), bus);
        }
        return bus;
    }

    private NodeBus node(String id) {
        return node(id, true, NodeBus.MAX_PENDING);
    }

    private static JsonNode body(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void aQuestionIsAnsweredByTheHandlerOfItsType() throws Exception {
        NodeBus a = node("a");
        NodeBus b = node("b");
        b.handle("echo", q -> JSON.createObjectNode().put("said", q.path("say").asText()).put("by", "b"));
        b.handle("other", q -> JSON.createObjectNode().put("wrong", true));
        Answer answer = a.ask("b", "echo", body("{\"say\":\"hi\"}")).get(2, TimeUnit.SECONDS);
        assertEquals(Status.ANSWERED, answer.status());
        assertEquals(body("{\"said\":\"hi\",\"by\":\"b\"}"), answer.body());
    }

    @Test
    void everyOtherNodeIsAskedAndTheSilentAndTheGoneAreToldApart() throws Exception {
        NodeBus a = node("a");
        a.handle("count", q -> JSON.createObjectNode().put("n", 0)); // never asked: a does not ask itself
        node("b").handle("count", q -> JSON.createObjectNode().put("n", 2));
        node("c").handle("count", q -> null); // answers nothing: silent
        node("d"); // an older version without the type: ignores it, silent
        node("e", false, NodeBus.MAX_PENDING); // registered, but nobody listens on its channel: gone
        long start = System.nanoTime();
        Map<String, Answer> answers = a.askEveryOther("count", JSON.createObjectNode()).get(5, TimeUnit.SECONDS);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(List.of("b", "c", "d", "e"), List.copyOf(answers.keySet()));
        assertEquals(Status.ANSWERED, answers.get("b").status());
        assertEquals(2, answers.get("b").body().path("n").asInt());
        assertEquals(Status.SILENT, answers.get("c").status());
        assertEquals(Status.SILENT, answers.get("d").status());
        assertEquals(Status.GONE, answers.get("e").status());
        assertTrue(took >= WAIT.toMillis() - 50 && took < WAIT.toMillis() + 2000,
                "the call waits for the silent nodes as long as the answer wait, no more: " + took + " ms");
    }

    @Test
    void aHandlerThatThrowsLeavesItsNodeSilentAndTheBusWorking() throws Exception {
        NodeBus a = node("a");
        NodeBus b = node("b");
        b.handle("boom", q -> {
            throw new IllegalArgumentException("a bad question, on purpose");
        });
        b.handle("fine", q -> JSON.createObjectNode().put("ok", true));
        assertEquals(Status.SILENT, a.ask("b", "boom", JSON.createObjectNode()).get(2, TimeUnit.SECONDS).status());
        assertEquals(Status.ANSWERED, a.ask("b", "fine", JSON.createObjectNode()).get(2, TimeUnit.SECONDS).status());
        b.onMessage("not json"); // logged, nothing else
        assertEquals(Status.ANSWERED, a.ask("b", "fine", JSON.createObjectNode()).get(2, TimeUnit.SECONDS).status());
    }

    @Test
    void questionsWaitingAreBoundedAndTheRestCountSilentWithoutBeingSent() throws Exception {
        NodeBus a = node("a", true, 2);
        node("b"); // knows no type: never answers
        CompletableFuture<Answer> first = a.ask("b", "slow", JSON.createObjectNode());
        CompletableFuture<Answer> second = a.ask("b", "slow", JSON.createObjectNode());
        int sent = published.size();
        CompletableFuture<Answer> third = a.ask("b", "slow", JSON.createObjectNode());
        assertTrue(third.isDone(), "not waited for");
        assertEquals(Status.SILENT, third.get().status());
        assertEquals(sent, published.size(), "the third question was not published");
        assertEquals(Status.SILENT, first.get(2, TimeUnit.SECONDS).status());
        assertEquals(Status.SILENT, second.get(2, TimeUnit.SECONDS).status());
        // Timed-out questions leave the bound: the next one is sent again.
        CompletableFuture<Answer> later = a.ask("b", "slow", JSON.createObjectNode());
        assertEquals(sent + 1, published.size());
        assertEquals(Status.SILENT, later.get(2, TimeUnit.SECONDS).status());
    }

    @Test
    void whileRedisIsAwayQuestionsComeBackSilentAndEveryOtherFails() throws Exception {
        NodeBus a = node("a");
        node("b").handle("count", q -> JSON.createObjectNode().put("n", 1));
        redisAway = true;
        Answer answer = a.ask("b", "count", JSON.createObjectNode()).get(1, TimeUnit.SECONDS);
        assertEquals(Status.SILENT, answer.status(), "at once, not after the wait");
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> a.askEveryOther("count", JSON.createObjectNode()).get(1, TimeUnit.SECONDS));
        assertTrue(failed.getCause() instanceof java.net.ConnectException, String.valueOf(failed.getCause()));
        redisAway = false;
        assertEquals(1, a.askEveryOther("count", JSON.createObjectNode()).get(2, TimeUnit.SECONDS).get("b").body()
                .path("n").asInt(), "back with Redis");
    }

    @Test
    void aMessageSentWithoutARequestIsHandledAndNotAnswered() throws Exception {
        NodeBus a = node("a");
        NodeBus b = node("b");
        CompletableFuture<JsonNode> heard = new CompletableFuture<>();
        b.handle("note", q -> {
            heard.complete(q);
            return JSON.createObjectNode().put("ignored", true);
        });
        a.send("b", "note", body("{\"x\":1}"));
        assertEquals(body("{\"x\":1}"), heard.get(2, TimeUnit.SECONDS));
        Thread.sleep(50); // an answer, if one were sent, would have been published by now
        assertTrue(published.stream().noneMatch(m -> m.startsWith(KEYS.nodeChannel("a"))), published.toString());
    }

    @Test
    void oneHandlerPerType() {
        NodeBus a = node("a");
        NodeBus.Handler h = q -> null;
        a.handle("page", h);
        assertThrows(IllegalStateException.class, () -> a.handle("page", h));
        assertThrows(IllegalStateException.class, () -> a.handle(NodeBus.ANSWER, h), "answers are the bus's own");
        assertSame("a", a.node());
    }
}
