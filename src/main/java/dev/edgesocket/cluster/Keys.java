package dev.edgesocket.cluster;

/**
 * The Redis keys and channels of one cluster, all under {@code edgesocket.cluster.key-prefix}:
 * <pre>
 * P nodes                   set of node ids seen (until reaped)
 * P node:ID                 the node's live counts (JSON), expiring after node-timeout: gone = dead
 * P zone:Z:places           hash node -> places taken (max-connections counts their sum)
 * P zone:Z:overrides        hash setting -> JSON value: the fields changed over HTTP
 * P settings                channel: a zone's overrides changed
 * P to:ID                   channel: questions for one node (its part of a session page, a close) and answers
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

    String settingsChannel() {
        return prefix + "settings";
    }

    String nodeChannel(String id) {
        return prefix + "to:" + id;
    }
}
