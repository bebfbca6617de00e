package dev.edgesocket.channels;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * How posts reach the other servers: nothing on a single node, Redis pub/sub in cluster mode. The hub tells it
 * which names this server holds (first object opened, last one closed) and hands it every post once; it hands
 * back the posts of other servers. Cluster mode's implementation, {@code cluster.RedisChannels}, lives with the
 * other Redis adapters; this room does not import {@code cluster}.
 */
public interface ChannelTransport {

    /** The names that other servers' posts are delivered to here. */
    interface Receiver {
        void deliver(String name, Object data);
    }

    /** Starts delivering to {@code receiver}; {@code localCounts} tells this server's objects per name. */
    void start(Receiver receiver, Supplier<Map<String, Integer>> localCounts);

    /** The first channel object of this name opened on this server. */
    void joined(String name);

    /** The last channel object of this name on this server closed. */
    void left(String name);

    /** Sends one post to the other servers; never blocks. {@code data} is a String or a byte[] no one changes. */
    void publish(String name, Object data);

    /**
     * Sends one backend post to the other servers and completes once the transport took it; fails at once, having
     * sent nothing, when the other servers cannot be reached (with a sentence saying so).
     */
    CompletionStage<Void> publishConfirmed(String name, Object data);

    /**
     * The channel objects open on each other server (by node, then by name), as each last reported them; empty
     * on a single node. Fails when the other servers cannot be asked.
     */
    CompletionStage<Map<String, Map<String, Integer>>> remoteCounts();

    /** This server's name in the cluster, or null on a single node. */
    String node();

    void stop();

    /** A single node: every channel object is here. */
    ChannelTransport NONE = new ChannelTransport() {
        @Override
        public void start(Receiver receiver, Supplier<Map<String, Integer>> localCounts) {
        }

        @Override
        public void joined(String name) {
        }

        @Override
        public void left(String name) {
        }

        @Override
        public void publish(String name, Object data) {
        }

        @Override
        public CompletionStage<Void> publishConfirmed(String name, Object data) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Map<String, Map<String, Integer>>> remoteCounts() {
            return java.util.concurrent.CompletableFuture.completedFuture(Map.of());
        }

        @Override
        public String node() {
            return null;
        }

        @Override
        public void stop() {
        }
    };
}
