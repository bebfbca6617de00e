package dev.edgesocket.channels;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.edgesocket.api.BroadcastChannel;
import dev.edgesocket.api.BroadcastChannels;
import dev.edgesocket.api.WebSocket;
import dev.edgesocket.serial.SerialExecutor;
import dev.edgesocket.zone.QueuedBytes;
import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.zone.SocketScope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/**
 * The {@link BroadcastChannels} bean: the channel objects of this server by name, local fan-out, and the
 * transport to other servers (Redis pub/sub in cluster mode, one subscription per name held here).
 */
@Singleton
public class ChannelHub implements BroadcastChannels {

    private static final Logger LOG = Logger.getLogger(ChannelHub.class);

    /** One channel's subscriber counts: in all, and per server in cluster mode. */
    public record ChannelCount(String name, int subscribers, Map<String, Integer> nodes) {
    }

    private final int maxMessageSize;
    private final int maxPending;
    private final long maxPendingBytes;
    private final int maxOpen;
    private final Executor workers;
    private final ChannelTransport transport;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Counter posts;
    private final Counter deliveries;
    private final Counter droppedSlow;
    private final Counter droppedBudget;
    private final QueuedBytes budget;
    private final Counter received;

    @Inject
    public ChannelHub(EdgesocketConfig config, Vertx vertx, MeterRegistry registry,
            Instance<ChannelTransport> redis, QueuedBytes budget) {
        this.budget = budget;
        this.maxMessageSize = (int) Math.min(Integer.MAX_VALUE, config.channels().maxMessageSize().asLongValue());
        this.maxPending = config.channels().maxPending();
        this.maxPendingBytes = config.channels().maxPendingBytes().asLongValue();
        this.maxOpen = config.channels().maxOpen();
        this.workers = task -> vertx.executeBlocking(() -> {
            task.run();
            return null;
        }, false);
        // The one ChannelTransport bean is cluster.RedisChannels, looked up only in cluster mode (a single node
        // never creates it, so it never touches the Redis client).
        this.transport = config.cluster().enabled() ? redis.get() : ChannelTransport.NONE;
        this.posts = Counter.builder("edgesocket.channel.posts").description("Messages posted on BroadcastChannels "
                + "of this server (postMessage and POST /api/channels)").register(registry);
        this.received = Counter.builder("edgesocket.channel.received").description("Posts of other servers "
                + "received through Redis").register(registry);
        this.deliveries = Counter.builder("edgesocket.channel.deliveries").description("Messages handed to channel "
                + "objects of this server").register(registry);
        this.droppedSlow = Counter.builder("edgesocket.channel.dropped").tag("reason", "slow-listener")
                .description("Messages not delivered to a channel object whose listeners had max-pending waiting")
                .register(registry);
        this.droppedBudget = Counter.builder("edgesocket.channel.dropped").tag("reason", "budget")
                .description("Messages not delivered because the server's queued bytes passed edgesocket.limits.max-queued-bytes")
                .register(registry);
        Gauge.builder("edgesocket.channel.objects", open, AtomicInteger::get)
                .description("Channel objects open on this server").register(registry);
        Gauge.builder("edgesocket.channel.names", topics, Map::size)
                .description("Channel names with at least one object open on this server").register(registry);
    }

    @PostConstruct
    void start() {
        transport.start(this::deliverRemote, this::localCounts);
    }

    @PreDestroy
    void stop() {
        transport.stop();
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }

    @Override
    public BroadcastChannel open(String name) {
        return open(name, null, new SerialExecutor(workers));
    }

    /**
     * A channel object whose listeners run through {@code listeners}, which must run tasks one at a time in
     * order (an event loop, say): JavaScript zones use it to run a channel's listeners in their context.
     */
    public BroadcastChannel openOn(String name, Executor listeners) {
        return open(name, null, listeners);
    }

    @Override
    public BroadcastChannel open(String name, WebSocket socket) {
        if (socket == null) {
            throw new NullPointerException("socket");
        }
        if (!(socket instanceof SocketScope scope)) {
            throw new IllegalArgumentException("BroadcastChannels.open(name, socket) takes a socket this server opened "
                    + "(from request.upgradeWebSocket()); " + socket.getClass().getName() + " is not one.");
        }
        BroadcastChannel channel = open(name, scope, null);
        scope.whenClosed(channel::close);
        return channel;
    }

    private BroadcastChannel open(String name, SocketScope socket, Executor serial) {
        ChannelNames.check(name);
        if (open.incrementAndGet() > maxOpen) {
            open.decrementAndGet();
            throw new IllegalStateException("This server already has " + maxOpen + " BroadcastChannel objects open "
                    + "(edgesocket.channels.max-open); close some first.");
        }
        while (true) {
            Topic topic = topics.computeIfAbsent(name, n -> {
                Topic created = new Topic(n);
                transport.joined(n);
                return created;
            });
            ChannelObject channel = new ChannelObject(this, topic, socket, serial);
            if (topic.add(channel)) {
                return channel;
            }
            // Its last member left between the lookup and the add: the name is being let go; take a new topic.
            topics.remove(name, topic);
        }
    }

    void closed(ChannelObject channel, Topic topic) {
        open.decrementAndGet();
        topics.computeIfPresent(topic.name(), (name, current) -> {
            if (current == topic && topic.remove(channel)) {
                transport.left(name);
                return null;
            }
            return current;
        });
    }

    /** A post of a channel object of this server: its other local objects, then the other servers. */
    void post(ChannelObject from, Topic topic, Object data) {
        posts.increment();
        fanOut(topic.members(), from, data);
        transport.publish(topic.name(), data);
    }

    /**
     * A post from the backend (HTTP): every object of the name on every server, or on none. It goes to the other
     * servers first and to this server's objects once the transport took it, so that a post refused while Redis
     * is away (the stage fails with a sentence) reached no one and can be made again without a duplicate.
     */
    public CompletionStage<Void> publish(String name, Object data) {
        ChannelNames.check(name);
        return transport.publishConfirmed(name, data).thenRun(() -> {
            posts.increment();
            Topic topic = topics.get(name);
            if (topic != null) {
                fanOut(topic.members(), null, data);
            }
        });
    }

    private void deliverRemote(String name, Object data) {
        received.increment();
        Topic topic = topics.get(name);
        if (topic != null) {
            fanOut(topic.members(), null, data);
        }
    }

    private void fanOut(ChannelObject[] members, ChannelObject from, Object data) {
        if (members.length == 0 || (members.length == 1 && members[0] == from)) {
            return;
        }
        if (budget.exhausted()) {
            // The server holds more queued bytes than its budget: a room's message is lost (at most once, as Deno
            // documents) rather than the heap.
            droppedBudget.increment(members.length - (from == null ? 0 : 1));
            return;
        }
        // The receivers share one copy of the message: the budget counts its bytes once, until the last is done.
        Shared shared = new Shared(data, budget);
        int delivered = 0;
        try {
            for (ChannelObject member : members) {
                if (member == from) {
                    continue;
                }
                if (member.deliver(shared, maxPending, maxPendingBytes)) {
                    delivered++;
                } else {
                    droppedSlow.increment();
                    LOG.debugf("Dropped a message of channel '%s' for a listener with %d messages or %d bytes waiting",
                            member.name(), maxPending, maxPendingBytes);
                }
            }
        } finally {
            shared.release(); // fanOut's own hold
        }
        deliveries.increment(delivered);
    }

    /** Subscriber counts by channel name, this server's and (cluster mode) the others' as last reported. */
    public CompletionStage<Map<String, ChannelCount>> counts() {
        Map<String, Integer> local = localCounts();
        String node = transport.node();
        return transport.remoteCounts().thenApply(remote -> {
            Map<String, Map<String, Integer>> byName = new TreeMap<>();
            if (node != null) {
                local.forEach((name, n) -> byName.computeIfAbsent(name, k -> new TreeMap<>()).put(node, n));
            }
            remote.forEach((other, names) -> names.forEach(
                    (name, n) -> byName.computeIfAbsent(name, k -> new TreeMap<>()).put(other, n)));
            Map<String, ChannelCount> counts = new TreeMap<>();
            if (node == null) {
                local.forEach((name, n) -> counts.put(name, new ChannelCount(name, n, Map.of())));
            }
            byName.forEach((name, nodes) -> counts.put(name, new ChannelCount(name,
                    nodes.values().stream().mapToInt(Integer::intValue).sum(), nodes)));
            return counts;
        });
    }

    /** This server's own counts only, when the others cannot be asked. */
    public Map<String, ChannelCount> localOnly() {
        Map<String, ChannelCount> counts = new TreeMap<>();
        String node = transport.node();
        localCounts().forEach((name, n) -> counts.put(name, new ChannelCount(name, n, node == null ? Map.of() : Map.of(node, n))));
        return counts;
    }

    /** This server's channel objects per name. */
    Map<String, Integer> localCounts() {
        Map<String, Integer> local = new TreeMap<>();
        topics.forEach((name, topic) -> {
            int n = topic.size();
            if (n > 0) {
                local.put(name, n);
            }
        });
        return local;
    }
}
