package dev.edgesocket.zone;

/**
 * The server-wide budget of queued bytes ({@code edgesocket.limits.max-queued-bytes}) as other rooms see it: what
 * they hold for sockets (a channel's messages waiting for listeners) is charged here, so the budget counts
 * everything the server holds queued. Implemented by the runtime.
 */
public interface QueuedBytes {

    /** Bytes now held; charge what is taken, credit it back when let go (from any thread). */
    void charge(long bytes);

    void credit(long bytes);

    /** True while the server holds more than its budget: new queued work should be refused or dropped. */
    boolean exhausted();
}
