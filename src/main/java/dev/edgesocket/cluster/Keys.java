package dev.edgesocket.cluster;

/**
 * The Redis keys and channels of one cluster, all under {@code edgesocket.cluster.key-prefix}:
 * <pre>
 * P nodes                   set of node ids seen (until reaped)
 * P node:ID                 the node's live counts (JSON), expiring after node-timeout: gone = dead
 * P zone:Z:places           hash node -> places taken (max-connections counts their sum)
 * P zone:Z:overrides        hash setting -> JSON value: the fields changed over HTTP
 * P all                     channel: the node bus's messages for every node (a zone's overrides changed)
 * P to:ID                   channel: the node bus's messages for one node (questions, and answers to its own)
 * </pre>
 * Scripts build some key names from their arguments, so the keys of one cluster must live on one Redis
 * primary (standalone, replicated or Sentinel; not a sharded Redis Cluster).
 */
final class Keys {

    private final String prefix;

    Keys(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    String nodes() {
        return prefix + "nodes";
    }

    String node(String id) {
        return prefix + "node:" + id;
    }

    String places(String zone) {
        return prefix + "zone:" + zone + ":places";
    }

    String overrides(String zone) {
        return prefix + "zone:" + zone + ":overrides";
    }

    /** The node bus's channel that every node hears ({@link NodeBus}). */
    String everyNodeChannel() {
        return prefix + "all";
    }

    /** The node bus's channel of one node ({@link NodeBus}). */
    String nodeChannel(String id) {
        return prefix + "to:" + id;
    }
}
