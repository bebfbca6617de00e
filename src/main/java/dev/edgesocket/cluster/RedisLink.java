package dev.edgesocket.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.edgesocket.config.EdgesocketConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * This node's link to Redis, through Quarkus' reactive Redis client (never blocking a thread): runs the
 * scripts with a deadline and keeps the link's state. Any command that cannot reach Redis turns the link
 * <em>degraded</em> (logged once at WARN); only the node's registration turns it back <em>up</em> (logged
 * once at INFO), after re-writing what the node holds. Created only in cluster mode: the Redis client is
 * looked up here and nowhere else.
 */
@Singleton
public class RedisLink {

    private static final Logger LOG = Logger.getLogger(RedisLink.class);

    private final ReactiveRedisDataSource redis;
    private final String node;
    private final Duration deadline;
    private volatile boolean up;
    private volatile String lastProblem = "not connected yet";
    private volatile boolean closing;

    @Inject
    public RedisLink(EdgesocketConfig config, NodeIdentity identity, Instance<ReactiveRedisDataSource> redis,
            MeterRegistry registry) {
        this.redis = redis.get();
        this.node = identity.id();
        this.deadline = commandDeadline(config.cluster().nodeTimeout());
        Gauge.builder("edgesocket.cluster.link", this, l -> l.up ? 1 : 0)
                .description("The node's link to Redis: 1 up, 0 degraded (local limits, last known settings)")
                .tags("node", node).register(registry);
    }

    /** How long one command may take before the link counts as lost: a quarter of node-timeout, 200 ms to 1 s. */
    static Duration commandDeadline(Duration nodeTimeout) {
        long millis = Math.max(200, Math.min(1000, nodeTimeout.toMillis() / 4));
        return Duration.ofMillis(millis);
    }

    boolean up() {
        return up;
    }

    String lastProblem() {
        return lastProblem;
    }

    /** Runs a script; a link failure on the way turns the link degraded before the Uni fails. */
    Uni<Response> eval(Lua.Script script, List<String> keys, List<String> args) {
        return evalOnce(script, keys, args).onFailure(this::isLinkFailure).invoke(this::lost);
    }

    /** One plain command (PUBLISH), with the same deadline and link tracking as the scripts. */
    Uni<Response> command(String command, String... args) {
        return send(command, args).onFailure(this::isLinkFailure).invoke(this::lost);
    }

    /** Several commands in one round trip (a pipeline, not a transaction), with the same deadline and tracking. */
    Uni<List<Response>> batch(List<Request> requests) {
        return redis.getRedis().batch(requests).ifNoItem().after(deadline)
                .failWith(() -> new TimeoutException("Redis did not answer within " + deadline.toMillis() + " ms"))
                .onFailure(this::isLinkFailure).invoke(this::lost);
    }

    /**
     * A connection of the caller's own (for a subscriber that adds and removes channels as it goes); the caller
     * closes it. A failure to connect counts as a lost link.
     */
    Uni<RedisConnection> connect() {
        return redis.getRedis().connect().ifNoItem().after(deadline.multipliedBy(2))
                .failWith(() -> new TimeoutException("Redis did not accept a connection in time"))
                .onFailure(this::isLinkFailure).invoke(this::lost);
    }

    private Uni<Response> evalOnce(Lua.Script script, List<String> keys, List<String> args) {
        return send("EVALSHA", command(script.sha(), keys, args))
                .onFailure(t -> t instanceof ErrorType e && e.is("NOSCRIPT"))
                .recoverWithUni(() -> send("EVAL", command(script.text(), keys, args)));
    }

    private Uni<Response> send(String command, String[] args) {
        return redis.execute(command, args).ifNoItem().after(deadline)
                .failWith(() -> new TimeoutException("Redis did not answer within " + deadline.toMillis() + " ms"));
    }

    private static String[] command(String script, List<String> keys, List<String> args) {
        List<String> all = new ArrayList<>(2 + keys.size() + args.size());
        all.add(script);
        all.add(String.valueOf(keys.size()));
        all.addAll(keys);
        all.addAll(args);
        return all.toArray(String[]::new);
    }

    /** A Redis error reply is an answer (a bug of ours, logged by the caller); anything else is a lost link. */
    boolean isLinkFailure(Throwable t) {
        // The client reports a connection that closed under a command as an error reply, CONNECTION_CLOSED: the link,
        // not Redis, failed it.
        return !(t instanceof ErrorType e) || e.is("CONNECTION_CLOSED")
                || String.valueOf(t.getMessage()).startsWith("CONNECTION_CLOSED");
    }

    /** The node is stopping: commands still in flight may fail as the client closes, which is no news. */
    void closing() {
        closing = true;
    }

    /** A command could not reach Redis: the node works on its own until its registration succeeds again. */
    void lost(Throwable cause) {
        lastProblem = describe(cause);
        if (up && !closing) {
            synchronized (this) {
                if (!up) {
                    return;
                }
                up = false;
            }
            LOG.warnf("Cluster node '%s' lost its link to Redis (%s): degraded until it returns. Open sockets go on; "
                    + "new upgrades get a local share of each zone's limit; settings stay as last known; config "
                    + "changes answer 503.", node, lastProblem);
        }
    }

    /** The node's registration succeeded. Returns true when that ends a degraded period. */
    synchronized boolean restored(boolean firstContact) {
        if (up) {
            return false;
        }
        up = true;
        lastProblem = null;
        if (firstContact) {
            LOG.infof("Cluster node '%s' is linked to Redis", node);
        } else {
            LOG.infof("Cluster node '%s' is linked to Redis again: it re-registered with its true place counts and "
                    + "re-reads the settings", node);
        }
        return true;
    }

    /** Subscribes to channels on a connection of its own; {@code onEnd} runs when that connection ends. */
    Uni<ReactiveRedisSubscriber> subscribe(List<String> channels, BiConsumer<String, String> onMessage, Runnable onEnd) {
        return redis.pubsub(String.class).subscribe(channels, onMessage, onEnd, t -> onEnd.run())
                .ifNoItem().after(deadline.multipliedBy(2))
                .failWith(() -> new TimeoutException("Redis did not confirm the subscription in time"))
                .onFailure(this::isLinkFailure).invoke(this::lost);
    }

    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
