package dev.edgesocket.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.edgesocket.zone.Admission;
import dev.edgesocket.zone.Place;
import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.zone.Zone;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.vertx.core.Vertx;

/**
 * Cluster mode: {@code max-connections} holds for the zone across every node. A script (one round trip)
 * sums the places of the live nodes and takes places for this node below the limit; as Redis runs scripts
 * one at a time, a burst on many nodes gets exactly the limit. Each zone has at most one admission script
 * in flight per node: upgrades that arrive meanwhile wait for it and then go together in the next one, in
 * order of arrival, so an idle server adds one round trip to an upgrade and a busy one far fewer commands than
 * upgrades. Places go back off the
 * message path, gathered for {@value #RELEASE_DELAY_MS} ms into one command per zone (under churn, far fewer
 * commands than closes; a place is counted a few milliseconds longer, never shorter).
 * <p>
 * While the link is degraded, this node admits up to its local share of the limit (the limit divided by
 * the nodes last seen, at least 1) and sends nothing; when the link returns, the node's registration
 * re-writes its true place count.
 */
@Singleton
@LookupIfProperty(name = "edgesocket.cluster.enabled", stringValue = "true")
public class RedisAdmission implements Admission {

    private static final Logger LOG = Logger.getLogger(RedisAdmission.class);
    private static final CompletableFuture<Boolean> ADMITTED = CompletableFuture.completedFuture(true);
    private static final CompletableFuture<Boolean> REFUSED = CompletableFuture.completedFuture(false);

    private final RedisLink link;
    private final Keys keys;
    private final String node;
    private final String nodePrefix;
    private volatile int nodesSeen = 1;
    static final long RELEASE_DELAY_MS = 5;
    private final Vertx vertx;
    // Places given back since the last flush, by zone; emptied by every flush.
    private final Map<String, AtomicInteger> releases = new ConcurrentHashMap<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    // Per zone: the upgrades waiting for the next admission script, and whether one is in flight.
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

    private static final class Waiting {
        final Zone zone;
        final ArrayDeque<CompletableFuture<Boolean>> queue = new ArrayDeque<>();
        boolean inFlight;

        Waiting(Zone zone) {
            this.zone = zone;
        }
    }

    @Inject
    public RedisAdmission(RedisLink link, NodeIdentity identity, EdgesocketConfig config, Vertx vertx) {
        this(link, identity.id(), config.cluster().keyPrefix(), vertx);
    }

    RedisAdmission(RedisLink link, String node, String keyPrefix, Vertx vertx) {
        this.vertx = vertx;
        this.link = link;
        this.keys = new Keys(keyPrefix);
        this.node = node;
        this.nodePrefix = keys.prefix() + "node:";
    }

    /** How many live nodes the last look at the cluster found: the divisor of the local share. */
    void nodesSeen(int count) {
        nodesSeen = Math.max(1, count);
    }

    int nodesSeen() {
        return nodesSeen;
    }

    /** This node's share of a limit while Redis cannot be asked. */
    int localShare(int max) {
        return max == 0 ? 0 : Math.max(1, max / nodesSeen);
    }

    @Override
    public CompletionStage<Place> tryAdmit(Zone zone) {
        return decide(zone).thenApply(admitted -> admitted ? Place.held(() -> release(zone)) : Place.none());
    }

    private CompletionStage<Boolean> decide(Zone zone) {
        if (!link.up()) {
            return zone.tryTakePlace(localShare(zone.settings().maxConnections())) ? ADMITTED : REFUSED;
        }
        // Counted here first, so that a re-write of this node's places during the round trip includes it.
        zone.takePlace();
        CompletableFuture<Boolean> admitted = new CompletableFuture<>();
        Waiting w = waiting.computeIfAbsent(zone.name(), n -> new Waiting(zone));
        boolean send;
        synchronized (w) {
            w.queue.add(admitted);
            send = !w.inFlight;
            w.inFlight = true;
        }
        if (send) {
            sendNext(w);
        }
        return admitted;
    }

    /** Sends one script for every upgrade waiting in the zone, then the next group, until none waits. */
    private void sendNext(Waiting w) {
        List<CompletableFuture<Boolean>> group;
        synchronized (w) {
            if (w.queue.isEmpty()) {
                w.inFlight = false;
                return;
            }
            group = new ArrayList<>(w.queue);
            w.queue.clear();
        }
        Zone zone = w.zone;
        int max = zone.settings().maxConnections();
        if (!link.up()) {
            decideLocally(zone, group, max);
            sendNext(w);
            return;
        }
        link.eval(Lua.ADMIT, List.of(keys.places(zone.name())),
                List.of(nodePrefix, node, String.valueOf(max), String.valueOf(group.size())))
                .subscribe().with(reply -> {
                    long granted = reply.toLong();
                    for (int i = 0; i < group.size(); i++) {
                        if (i < granted) {
                            group.get(i).complete(true);
                        } else {
                            zone.releasePlace();
                            group.get(i).complete(false);
                        }
                    }
                    sendNext(w);
                }, failure -> {
                    if (!link.isLinkFailure(failure)) {
                        LOG.errorf("Redis refused the admission script: %s", failure.getMessage());
                    }
                    // The link is degraded now (or Redis refused the script): decide with the local share.
                    decideLocally(zone, group, max);
                    sendNext(w);
                });
    }

    private void decideLocally(Zone zone, List<CompletableFuture<Boolean>> group, int max) {
        for (CompletableFuture<Boolean> admitted : group) {
            zone.releasePlace();
            admitted.complete(zone.tryTakePlace(localShare(max)));
        }
    }

    /** Gives back a place {@link #tryAdmit} took: the upgrade did not happen, or the socket closed. */
    void release(Zone zone) {
        zone.releasePlace();
        if (link.up()) {
            releases.computeIfAbsent(zone.name(), z -> new AtomicInteger()).incrementAndGet();
            if (flushScheduled.compareAndSet(false, true)) {
                vertx.setTimer(RELEASE_DELAY_MS, id -> flushReleases());
            }
        }
    }

    /** One command per zone for the places given back since the last flush. */
    void flushReleases() {
        flushScheduled.set(false);
        for (Map.Entry<String, AtomicInteger> zone : releases.entrySet()) {
            int count = zone.getValue().getAndSet(0);
            if (count == 0 || !link.up()) {
                continue; // while degraded the re-registration re-writes the true count
            }
            link.eval(Lua.RELEASE, List.of(keys.places(zone.getKey())), List.of(node, String.valueOf(count)))
                    .subscribe().with(r -> {
                    }, failure -> LOG.debugf("%d places of zone '%s' could not be given back in Redis: %s; they are "
                            + "re-written when the link returns", count, zone.getKey(), RedisLink.describe(failure)));
        }
    }
}
