package dev.edgesocket.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The histories of the other servers: none on a single node ({@link LocalHistories}); in cluster mode each
 * live node is asked for its own samples over Redis, once per call, never per message.
 */
public interface NodeHistories {

    /** What the other nodes answered: series by node, then by zone; the nodes that did not answer in time. */
    record Gathered(Map<String, Map<String, Series>> nodes, List<String> unanswered) {
    }

    /** This server's name in the cluster, or null on a single node. */
    String node();

    /**
     * Every other live node's samples after second {@code since}, of the zone named {@code zone} (every zone
     * when null). Fails with {@link dev.edgesocket.zone.SettingsStore.UnavailableException} when the cluster
     * cannot be asked.
     */
    CompletionStage<Gathered> others(String zone, long since);
}
