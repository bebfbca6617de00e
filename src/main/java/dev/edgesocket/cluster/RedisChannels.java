package dev.edgesocket.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edgesocket.channels.ChannelTransport;
import dev.edgesocket.config.EdgesocketConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Cluster mode's {@link ChannelTransport} for {@code channels}: Redis pub/sub through the Quarkus Redis client.
 * It lives here with the other Redis adapters; {@code channels} knows only the interface, and {@code ChannelHub}
 * picks this bean when {@code edgesocket.cluster.enabled} is true.
 * <ul>
 * <li>One connection of this server's own subscribes to {@code P bc:NAME} for every name that has a channel
 * object here (reference-counted by the hub: SUBSCRIBE at the first, UNSUBSCRIBE after the last), never one
 * per socket. When it ends (Redis away), it is opened again every second and subscribes to every name again.
 * Every SUBSCRIBE and UNSUBSCRIBE, the reconnect's snapshot included, is decided under one lock and written from
 * one event loop in that order, so a name left while the snapshot was taken is never left subscribed.</li>
 * <li>Every post is published once, in order: posts queue (at most {@code max-unpublished}) and go out in
 * pipelined batches, one batch in flight. While Redis is away posts are not queued: they reach this server's
 * objects only (delivery is at most once).</li>
 * <li>Every {@code node-timeout/3} this server writes its channel counts to {@code P channels:NODE}, which
 * expires with the node; {@code GET /api/channels} adds them up.</li>
 * </ul>
 * A message carries its kind (text or binary) and the publishing server, so that server skips its own.
 */
@Singleton
public class RedisChannels implements ChannelTransport {

    private static final Logger LOG = Logger.getLogger(RedisChannels.class);
    private static final int BATCH = 256;
    private static final byte TEXT = 'T';
    private static final byte BINARY = 'B';

    private final RedisLink link;
    private final Vertx vertx;
    private final ObjectMapper json;
    private final String node;
    private final byte[] nodeBytes;
    private final String prefix;
    private final Duration nodeTimeout;
    private final int maxUnpublished;
    private final Set<String> names = ConcurrentHashMap.newKeySet(); // changed under this object's lock
    private final ArrayDeque<Request> unpublished = new ArrayDeque<>();
    private final Counter droppedUnpublished;
    private final Counter droppedAway;

    private Receiver receiver;
    private Supplier<Map<String, Integer>> localCounts;
    private volatile RedisConnection subscriber;
    private boolean connecting;   // guarded by this
    private boolean publishing;   // guarded by unpublished
    private volatile boolean stopped;
    private boolean subscriberLost;
    private long reconnectTimer = -1;
    private long reportTimer = -1;
    // The one event loop that writes every SUBSCRIBE and UNSUBSCRIBE: tasks queued in order under the lock run in
    // that order, whichever threads queued them (direct writes from several threads could overtake each other).
    private io.vertx.core.Context subscriptions;

    @Inject
    public RedisChannels(RedisLink link, NodeIdentity identity, EdgesocketConfig config, Vertx vertx,
            ObjectMapper json, MeterRegistry registry) {
        this.link = link;
        this.vertx = vertx;
        this.json = json;
        this.node = identity.id();
        this.nodeBytes = node.getBytes(StandardCharsets.UTF_8);
        if (nodeBytes.length > 255) {
            throw new IllegalStateException("edgesocket.cluster.node-id must be at most 255 bytes for channels");
        }
        this.prefix = config.cluster().keyPrefix();
        this.nodeTimeout = config.cluster().nodeTimeout();
        this.maxUnpublished = config.channels().maxUnpublished();
        this.droppedUnpublished = Counter.builder("edgesocket.channel.dropped").tag("reason", "unpublished")
                .description("Posts not published to the other servers: max-unpublished were waiting")
                .register(registry);
        this.droppedAway = Counter.builder("edgesocket.channel.dropped").tag("reason", "redis-away")
                .description("Posts not published to the other servers because Redis could not be reached")
                .register(registry);
    }

    @Override
    public String node() {
        return node;
    }

    private String channelKey(String name) {
        return prefix + "bc:" + name;
    }

    private String countsKey(String someNode) {
        return prefix + "channels:" + someNode;
    }

    @Override
    public void start(Receiver receiver, Supplier<Map<String, Integer>> localCounts) {
        this.receiver = receiver;
        this.localCounts = localCounts;
        this.subscriptions = vertx.getOrCreateContext();
        connect();
        reconnectTimer = vertx.setPeriodic(1000, id -> {
            if (subscriber == null) {
                connect();
            }
        });
        reportTimer = vertx.setPeriodic(Math.max(100, nodeTimeout.toMillis() / 3), id -> report());
    }

    // ------------------------------------------------------------------ subscriptions

    private void connect() {
        synchronized (this) {
            if (connecting || stopped || subscriber != null) {
                return;
            }
            connecting = true;
        }
        link.connect().subscribe().with(connection -> {
            connection.handler(this::onPush);
            connection.exceptionHandler(t -> {
                LOG.debugf("The channel subscriber's connection failed: %s", RedisLink.describe(t));
                connection.closeAndForget();
            });
            connection.endHandler(() -> lostSubscriber(connection));
            boolean wasLost;
            List<String> all;
            synchronized (this) {
                connecting = false;
                if (stopped) {
                    connection.closeAndForget();
                    return;
                }
                subscriber = connection;
                wasLost = subscriberLost;
                subscriberLost = false;
                // The snapshot and its SUBSCRIBE are queued under the lock: a name left before is not in it, and
                // one left after is UNSUBSCRIBEd behind it.
                all = new ArrayList<>(names);
                for (int i = 0; i < all.size(); i += 1000) {
                    queue(connection, Command.SUBSCRIBE, List.copyOf(all.subList(i, Math.min(all.size(), i + 1000))));
                }
            }
            if (wasLost) {
                LOG.infof("Channels of node '%s' are linked to Redis again: %d names subscribed", node, all.size());
            }
        }, failure -> {
            synchronized (this) {
                connecting = false;
                subscriberLost = true;
            }
            LOG.debugf("The channel subscriber could not connect: %s", RedisLink.describe(failure));
        });
    }

    private void lostSubscriber(RedisConnection connection) {
        synchronized (this) {
            if (subscriber != connection) {
                return;
            }
            subscriber = null;
            subscriberLost = true;
        }
        if (!stopped) {
            LOG.warnf("Channels of node '%s' lost their Redis subscription: posts of other servers do not arrive "
                    + "until it is back (tried every second); this server's own channels go on", node);
        }
    }

    @Override
    public synchronized void joined(String name) {
        names.add(name);
        if (subscriber != null) {
            queue(subscriber, Command.SUBSCRIBE, List.of(name));
        }
    }

    @Override
    public synchronized void left(String name) {
        names.remove(name);
        if (subscriber != null) {
            queue(subscriber, Command.UNSUBSCRIBE, List.of(name));
        }
    }

    /** Queues a command on the subscriptions' event loop; called under the lock, so queued in decision order. */
    private void queue(RedisConnection connection, Command command, List<String> channelNames) {
        subscriptions.runOnContext(v -> send(connection, command, channelNames));
    }

    private void send(RedisConnection connection, Command command, List<String> channelNames) {
        Request request = Request.cmd(command);
        for (String name : channelNames) {
            request.arg(channelKey(name));
        }
        connection.send(request).subscribe().with(ok -> {
        }, failure -> {
            LOG.debugf("%s on the channel subscriber failed (%s): it connects again", command,
                    RedisLink.describe(failure));
            connection.closeAndForget();
        });
    }

    /** A message of a channel, on the subscriber connection's event loop. */
    private void onPush(Response push) {
        if (push.size() < 3 || !"message".equalsIgnoreCase(push.get(0).toString())) {
            return;
        }
        String channel = push.get(1).toString();
        String start = prefix + "bc:";
        if (!channel.startsWith(start)) {
            return;
        }
        byte[] payload = push.get(2).toBytes();
        if (payload == null || payload.length < 2) {
            return;
        }
        int nodeLength = payload[1] & 0xff;
        int dataStart = 2 + nodeLength;
        if (payload.length < dataStart) {
            return;
        }
        if (nodeLength == nodeBytes.length && Arrays.equals(payload, 2, dataStart, nodeBytes, 0, nodeLength)) {
            return; // our own post: this server's objects had it when it was posted
        }
        Object data = payload[0] == TEXT
                ? new String(payload, dataStart, payload.length - dataStart, StandardCharsets.UTF_8)
                : Arrays.copyOfRange(payload, dataStart, payload.length);
        receiver.deliver(channel.substring(start.length()), data);
    }

    // ------------------------------------------------------------------ publishing

    @Override
    public void publish(String name, Object data) {
        if (!link.up()) {
            droppedAway.increment();
            return;
        }
        Request request = publishRequest(name, data);
        synchronized (unpublished) {
            if (unpublished.size() >= maxUnpublished) {
                droppedUnpublished.increment();
                return;
            }
            unpublished.add(request);
            if (publishing) {
                return;
            }
            publishing = true;
        }
        publishNext();
    }

    /**
     * A backend post, on its own rather than in the queue, so that its answer can say whether Redis took it.
     * Refused while the link is down: the caller then delivers it nowhere, and a retry cannot duplicate it.
     */
    @Override
    public CompletionStage<Void> publishConfirmed(String name, Object data) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!link.up()) {
            done.completeExceptionally(new IllegalStateException(away(link.lastProblem())));
            return done;
        }
        link.batch(List.of(publishRequest(name, data))).subscribe().with(ok -> done.complete(null),
                failure -> done.completeExceptionally(new IllegalStateException(away(RedisLink.describe(failure)),
                        failure)));
        return done;
    }

    private static String away(String problem) {
        return "Redis cannot be reached (" + problem + "), so the message was not posted on any server, this one "
                + "included. Post it again when Redis is back.";
    }

    /** PUBLISH of one post: its kind, this server's id (so that it skips its own) and the data. */
    private Request publishRequest(String name, Object data) {
        byte[] bytes = data instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) data;
        byte[] payload = new byte[2 + nodeBytes.length + bytes.length];
        payload[0] = data instanceof String ? TEXT : BINARY;
        payload[1] = (byte) nodeBytes.length;
        System.arraycopy(nodeBytes, 0, payload, 2, nodeBytes.length);
        System.arraycopy(bytes, 0, payload, 2 + nodeBytes.length, bytes.length);
        return Request.cmd(Command.PUBLISH).arg(channelKey(name)).arg(Buffer.buffer(payload));
    }

    /** Sends what waits, one pipelined batch at a time, so posts leave in the order they were made. */
    private void publishNext() {
        List<Request> batch;
        synchronized (unpublished) {
            if (unpublished.isEmpty()) {
                publishing = false;
                return;
            }
            batch = new ArrayList<>(Math.min(BATCH, unpublished.size()));
            while (batch.size() < BATCH && !unpublished.isEmpty()) {
                batch.add(unpublished.poll());
            }
        }
        link.batch(batch).subscribe().with(ok -> publishNext(), failure -> {
            droppedAway.increment(batch.size());
            LOG.debugf("%d channel posts were not published: %s", batch.size(), RedisLink.describe(failure));
            publishNext();
        });
    }

    // ------------------------------------------------------------------ counts

    private void report() {
        if (!link.up() || stopped) {
            return;
        }
        String counts;
        try {
            counts = json.writeValueAsString(localCounts.get());
        } catch (Exception e) {
            return;
        }
        link.command("SET", countsKey(node), counts, "PX", String.valueOf(nodeTimeout.toMillis()))
                .subscribe().with(ok -> {
                }, f -> LOG.debugf("Channel counts were not written: %s", RedisLink.describe(f)));
    }

    @Override
    public CompletionStage<Map<String, Map<String, Integer>>> remoteCounts() {
        CompletableFuture<Map<String, Map<String, Integer>>> done = new CompletableFuture<>();
        if (!link.up()) {
            done.completeExceptionally(new IllegalStateException("Redis cannot be reached (" + link.lastProblem()
                    + "): other servers' channels are not counted."));
            return done;
        }
        link.command("SMEMBERS", prefix + "nodes").chain(members -> {
            List<String> others = new ArrayList<>();
            for (Response member : members) {
                if (!member.toString().equals(node)) {
                    others.add(member.toString());
                }
            }
            if (others.isEmpty()) {
                return io.smallrye.mutiny.Uni.createFrom().item(Map.<String, Map<String, Integer>>of());
            }
            String[] keys = others.stream().map(this::countsKey).toArray(String[]::new);
            return link.command("MGET", keys).map(values -> {
                Map<String, Map<String, Integer>> byNode = new TreeMap<>();
                for (int i = 0; i < others.size(); i++) {
                    Response value = values.get(i);
                    if (value == null) {
                        continue; // dead, or no report yet
                    }
                    try {
                        Map<String, Integer> counts = new TreeMap<>();
                        JsonNode tree = json.readTree(value.toString());
                        tree.fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
                        byNode.put(others.get(i), counts);
                    } catch (Exception e) {
                        LOG.debugf("Channel counts of node '%s' could not be read: %s", others.get(i), e.getMessage());
                    }
                }
                return byNode;
            });
        }).subscribe().with(done::complete, failure -> done.completeExceptionally(new IllegalStateException(
                "Redis cannot be reached (" + RedisLink.describe(failure) + "): other servers' channels are not counted.")));
        return done;
    }

    @Override
    public void stop() {
        RedisConnection connection;
        synchronized (this) {
            stopped = true;
            connection = subscriber;
            subscriber = null;
        }
        if (reconnectTimer >= 0) {
            vertx.cancelTimer(reconnectTimer);
        }
        if (reportTimer >= 0) {
            vertx.cancelTimer(reportTimer);
        }
        if (connection != null) {
            connection.closeAndForget();
        }
        if (link.up()) {
            link.command("DEL", countsKey(node)).subscribe().with(ok -> {
            }, f -> {
            });
        }
    }
}
