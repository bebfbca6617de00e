package dev.edgesocket.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * This server as a member of the cluster. Its registration ({@code P node:ID}, with the node's live
 * counts) expires after node-timeout and is renewed every node-timeout/3: a node whose key is gone is
 * dead, and the admission script stops counting its places at once. Every sync-interval the node re-reads
 * the settings, counts the live nodes (for the local share) and removes what dead nodes left. The
 * {@link NodeBus} carries what nodes tell each other; this class registers its handlers (each feature answers
 * its own message type) and keeps its subscription up.
 * <p>
 * Lifecycle: {@link #start()} at startup (bounded wait for the first contact; a node that cannot reach
 * Redis serves with the configuration baseline), {@link #stop()} at shutdown after the drain. All timers run
 * on the Vert.x event loop and never block.
 */
@Singleton
public class ClusterNode {

    private static final Logger LOG = Logger.getLogger(ClusterNode.class);

    private final EdgesocketConfig.ClusterConfig config;
    private final String node;
    private final Keys keys;
    private final RedisLink link;
    private final RedisAdmission admission;
    private final RedisSettingsStore settings;
    private final NodeBus bus;
    private final ZoneRegistry zones;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final AtomicBoolean registering = new AtomicBoolean();
    private final AtomicBoolean syncing = new AtomicBoolean();
    private volatile boolean everLinked;
    private volatile boolean started;
    private long heartbeatTimer = -1;
    private long syncTimer = -1;

    @Inject
    public ClusterNode(EdgesocketConfig config, NodeIdentity identity, RedisLink link, RedisAdmission admission,
            RedisSettingsStore settings, RedisSessions sessions, RedisHistories histories, NodeBus bus, ZoneRegistry zones,
            ObjectMapper json, Vertx vertx) {
        this.config = config.cluster();
        this.node = identity.id();
        this.keys = new Keys(this.config.keyPrefix());
        this.link = link;
        this.admission = admission;
        this.settings = settings;
        this.bus = bus;
        this.zones = zones;
        this.json = json;
        this.vertx = vertx;
        // Every message type of the bus and who answers it, registered before the subscription exists (here, not in
        // each feature's bean, so that a bean nobody on this node has used yet still answers the others).
        bus.handle(RedisSettingsStore.NOTIFICATION, settings::onNotification);
        bus.handle(RedisSessions.PAGE, sessions::answerPage);
        bus.handle(RedisSessions.CLOSE, sessions::answerClose);
        bus.handle(RedisHistories.SAMPLES, histories::answerSamples);
    }

    public String id() {
        return node;
    }

    public boolean linked() {
        return link.up();
    }

    public String lastProblem() {
        return link.lastProblem();
    }

    /** True once the first contact with Redis was made or given up: settings are as good as they get. */
    public boolean started() {
        return started;
    }

    public int nodesSeen() {
        return admission.nodesSeen();
    }

    /** Registers, reads the cluster's settings and subscribes, waiting a bounded time; then keeps at it. */
    void start() {
        LOG.infof("Cluster mode: node '%s', Redis keys under '%s', node-timeout %s, sync-interval %s", node,
                config.keyPrefix(), config.nodeTimeout(), config.syncInterval());
        long wait = RedisLink.commandDeadline(config.nodeTimeout()).toMillis() * 4 + 1000;
        try {
            register().await().atMost(Duration.ofMillis(wait));
        } catch (RuntimeException e) {
            LOG.warnf("Cluster node '%s' cannot reach Redis at start (%s): it serves with the configuration baseline "
                    + "and a local share of each zone's limit, and tries again every %d ms.", node,
                    RedisLink.describe(e), heartbeatPeriod());
        }
        heartbeatTimer = vertx.setPeriodic(heartbeatPeriod(), id -> register().subscribe().with(v -> {
        }, f -> failed("Registration", f)));
        syncTimer = vertx.setPeriodic(Math.max(100, config.syncInterval().toMillis()), id -> sync());
        started = true;
    }

    private long heartbeatPeriod() {
        return Math.max(100, config.nodeTimeout().toMillis() / 3);
    }

    /**
     * Renews the registration. After a degraded period (or at first contact) it also re-writes this node's
     * places, re-reads the settings and subscribes again, then reports the link up.
     */
    Uni<Void> register() {
        if (!registering.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        boolean recovering = !link.up();
        List<String> args = new ArrayList<>();
        args.add(countsJson());
        args.add(String.valueOf(config.nodeTimeout().toMillis()));
        args.add(node);
        args.add(recovering ? "1" : "0");
        args.add(keys.prefix());
        for (Zone zone : zones.all()) {
            args.add(zone.name());
            args.add(String.valueOf(Math.max(0, zone.placesTaken())));
        }
        Uni<Void> work = link.eval(Lua.HEARTBEAT, List.of(keys.node(node), keys.nodes()), args).invoke(rewritten -> {
            if (rewritten.toLong() == 1 && !recovering) {
                // A pause longer than node-timeout: the others stopped counting this node; its places are back.
                LOG.infof("Cluster node '%s' found its registration expired and registered again with its places", node);
            }
        }).replaceWithVoid();
        if (recovering) {
            work = work.invoke(() -> {
                link.restored(!everLinked);
                everLinked = true;
            }).chain(settings::reload).chain(bus::subscribe).chain(this::countNodes);
        } else if (!bus.subscribed()) {
            // The subscription's connection ended while commands went through: notifications may be lost.
            work = work.chain(bus::subscribe).chain(settings::reload);
        }
        return work.eventually(() -> registering.set(false));
    }

    private String countsJson() {
        ObjectNode root = json.createObjectNode();
        ObjectNode byZone = root.putObject("zones");
        for (Zone zone : zones.all()) {
            byZone.putObject(zone.name()).put("openSockets", zone.openSocketCount()).put("upgrades", zone.upgrades())
                    .put("refusedDisabled", zone.refusedDisabled()).put("refusedLimit", zone.refusedLimit())
                    .put("refusedOrigin", zone.refusedOrigin())
                    .put("places", zone.placesTaken());
        }
        return root.toString();
    }

    /** Every sync-interval: settings, the live nodes, and what dead nodes left. */
    private void sync() {
        if (!link.up() || !syncing.compareAndSet(false, true)) {
            return;
        }
        List<String> reapArgs = new ArrayList<>();
        reapArgs.add(keys.prefix());
        zones.all().forEach(z -> reapArgs.add(z.name()));
        settings.reload().chain(this::countNodes)
                .chain(() -> link.eval(Lua.REAP, List.of(keys.nodes()), reapArgs))
                .eventually(() -> syncing.set(false))
                .subscribe().with(reaped -> {
                    for (int i = 0; i < reaped.size(); i++) {
                        LOG.infof("Node '%s' is gone (no registration for %s): its places were removed",
                                reaped.get(i).toString(), config.nodeTimeout());
                    }
                }, f -> failed("Sync", f));
    }

    /** A lost link is expected and reported once by the link; an error answer from Redis is a bug of ours. */
    private void failed(String what, Throwable f) {
        if (link.isLinkFailure(f)) {
            LOG.debugf("%s failed: %s", what, RedisLink.describe(f));
        } else {
            LOG.errorf("%s of node '%s' was refused by Redis: %s", what, node, f.getMessage());
        }
    }

    private Uni<Void> countNodes() {
        return Uni.createFrom().completionStage(bus::liveNodes).invoke(nodes -> admission.nodesSeen(nodes.size()))
                .replaceWithVoid();
    }

    /** Stops the timers and the subscription, and leaves the cluster at once (its places stop counting). */
    void stop() {
        link.closing();
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        if (syncTimer >= 0) {
            vertx.cancelTimer(syncTimer);
        }
        try {
            Uni<Void> leave = link.up()
                    ? link.command("DEL", keys.node(node)).replaceWithVoid()
                    : Uni.createFrom().voidItem();
            leave = leave.chain(bus::unsubscribe);
            leave.await().atMost(Duration.ofSeconds(2));
            LOG.infof("Cluster node '%s' left the cluster", node);
        } catch (RuntimeException e) {
            LOG.infof("Cluster node '%s' stopped without leaving cleanly (%s); it drops out after %s", node,
                    RedisLink.describe(e), config.nodeTimeout());
        }
    }
}
