package dev.edgesocket.cluster;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.edgesocket.zone.Admission;
import dev.edgesocket.zone.EdgesocketConfig;
import dev.edgesocket.zone.Zone;
import io.quarkus.arc.lookup.LookupIfProperty;

/**
 * Cluster mode: {@code max-connections} holds for the zone across every node. One script per upgrade
 * (one round trip) sums the places of the live nodes and takes one for this node below the limit; as
 * Redis runs scripts one at a time, a burst on many nodes gets exactly the limit. A place goes back with
 * one command when the socket closes (or the upgrade does not happen), off the message path.
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

    @Inject
    public RedisAdmission(RedisLink link, NodeIdentity identity, EdgesocketConfig config) {
        this(link, identity.id(), config.cluster().keyPrefix());
    }

    RedisAdmission(RedisLink link, String node, String keyPrefix) {
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
    public CompletionStage<Boolean> tryAdmit(Zone zone) {
        int max = zone.settings().maxConnections();
        if (!link.up()) {
            return zone.tryTakePlace(localShare(max)) ? ADMITTED : REFUSED;
        }
        // Counted here first, so that a re-write of this node's places during the round trip includes it.
        zone.takePlace();
        CompletableFuture<Boolean> admitted = new CompletableFuture<>();
        link.eval(Lua.ADMIT, List.of(keys.places(zone.name())), List.of(nodePrefix, node, String.valueOf(max)))
                .subscribe().with(taken -> {
                    if (taken.toLong() < 0) {
                        zone.releasePlace();
                        zone.countRefusedLimit();
                        admitted.complete(false);
                    } else {
                        admitted.complete(true);
                    }
                }, failure -> {
                    // The link is degraded now (or Redis refused the script): decide with the local share.
                    zone.releasePlace();
                    if (!link.isLinkFailure(failure)) {
                        LOG.errorf("Redis refused the admission script: %s", failure.getMessage());
                    }
                    admitted.complete(zone.tryTakePlace(localShare(max)));
                });
        return admitted;
    }

    @Override
    public void release(Zone zone) {
        zone.releasePlace();
        if (link.up()) {
            link.eval(Lua.RELEASE, List.of(keys.places(zone.name())), List.of(node)).subscribe().with(r -> {
            }, failure -> LOG.debugf("A place of zone '%s' could not be given back in Redis: %s; it is re-written when "
                    + "the link returns", zone.name(), RedisLink.describe(failure)));
        }
    }
}
