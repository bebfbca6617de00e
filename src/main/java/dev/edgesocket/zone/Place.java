package dev.edgesocket.zone;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A place in a zone, as {@link Admission} grants it: what {@code websockets.max-connections} counts. An upgrade
 * request holds it while its script runs, then either gives it back or transfers it to the socket, which gives it
 * back when it closes. Giving back happens once, whoever asks and from whichever thread.
 */
public final class Place {

    private static final Place NONE = new Place(null);

    // What gives the place back; null once given back or transferred (and always for NONE).
    private final AtomicReference<Runnable> giveBack;

    private Place(Runnable giveBack) {
        this.giveBack = new AtomicReference<>(giveBack);
    }

    /** A place held, which {@code giveBack} returns to its admission. */
    public static Place held(Runnable giveBack) {
        return new Place(Objects.requireNonNull(giveBack));
    }

    /** No place: admission refused, or nothing was asked. */
    public static Place none() {
        return NONE;
    }

    /** Whether this token still holds its place. */
    public boolean isHeld() {
        return giveBack.get() != null;
    }

    /** Gives the place back if this token still holds it; true when it did. Idempotent. */
    public boolean release() {
        Runnable action = giveBack.getAndSet(null);
        if (action == null) {
            return false;
        }
        action.run();
        return true;
    }

    /** Moves the place to a new token (the socket's); this one holds nothing after. */
    public Place transfer() {
        Runnable action = giveBack.getAndSet(null);
        return action == null ? NONE : new Place(action);
    }
}
