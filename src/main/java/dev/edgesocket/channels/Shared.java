package dev.edgesocket.channels;

import java.util.concurrent.atomic.AtomicInteger;

import dev.edgesocket.zone.QueuedBytes;

/**
 * One message fanned out to this server's channel objects, shared by all of them. The server's budget counts its
 * bytes once plus an overhead per receiver still holding it, from the fan-out until the last receiver is done.
 */
final class Shared {

    /** What one waiting delivery costs beyond the message: its task, its event, its place in a queue. */
    static final int OVERHEAD = 128;

    private final Object data;
    private final long size;
    private final QueuedBytes budget;
    /** The fan-out's own hold, plus one per delivery not yet done. */
    private final AtomicInteger holds = new AtomicInteger(1);

    Shared(Object data, QueuedBytes budget) {
        this.data = data;
        // A String of Latin-1 text (JSON, chat) holds a byte per character (compact strings); others hold two. Counted
        // as one: the per-object bounds then match the bytes a client posted, as max-message-size counts them.
        this.size = data instanceof byte[] bytes ? bytes.length : data instanceof String text ? text.length() : 0;
        this.budget = budget;
        budget.charge(size);
    }

    long size() {
        return size;
    }

    Object data() {
        return data;
    }

    /** A delivery to one receiver is queued. */
    void hold() {
        holds.incrementAndGet();
        budget.charge(OVERHEAD);
    }

    /** That delivery is done (its listeners ran, or it was not delivered after all). */
    void done() {
        budget.credit(OVERHEAD);
        release();
    }

    /** The fan-out lets go of its own hold; whoever lets go last gives the message's bytes back. */
    void release() {
        if (holds.decrementAndGet() == 0) {
            budget.credit(size);
        }
    }
}
