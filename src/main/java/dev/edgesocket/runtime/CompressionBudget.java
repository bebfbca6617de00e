package dev.edgesocket.runtime;

/**
 * What permessage-deflate may cost: bytes inflated from clients and bytes compressed for them, per second, per
 * socket ({@code edgesocket.limits.compression-rate}) and for the whole server
 * ({@code edgesocket.limits.server-compression-rate}). A socket gets its own pair of buckets from {@link #forSocket}.
 */
final class CompressionBudget {

    private final long socketRate;
    private final TokenBucket serverInflate;
    private final TokenBucket serverDeflate;

    CompressionBudget(long socketRate, long serverRate) {
        long now = System.nanoTime();
        this.socketRate = socketRate;
        this.serverInflate = new TokenBucket(serverRate, now);
        this.serverDeflate = new TokenBucket(serverRate, now);
    }

    Socket forSocket() {
        return new Socket();
    }

    /** One socket's share, under the server's. */
    final class Socket {
        private final TokenBucket inflate;
        private final TokenBucket deflate;

        private Socket() {
            long now = System.nanoTime();
            inflate = new TokenBucket(socketRate, now);
            deflate = new TokenBucket(socketRate, now);
        }

        /** Counts {@code bytes} inflated; returns how long reading must pause to stay within both budgets (0: no pause). */
        long inflated(long bytes) {
            long now = System.nanoTime();
            return Math.max(inflate.take(bytes, now), serverInflate.take(bytes, now));
        }

        /** Whether a message of {@code bytes} may be compressed now; if not, it goes uncompressed. */
        boolean mayCompress(long bytes) {
            long now = System.nanoTime();
            if (!deflate.tryTake(bytes, now)) {
                return false;
            }
            if (!serverDeflate.tryTake(bytes, now)) {
                deflate.giveBack(bytes);
                return false;
            }
            return true;
        }
    }
}
