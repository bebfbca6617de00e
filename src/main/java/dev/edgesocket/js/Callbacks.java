package dev.edgesocket.js;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.jboss.logging.Logger;

import dev.edgesocket.api.WebSocket;

/**
 * Every entry into a realm's context, and what the {@link Watchdog} needs of it: which socket the running callback
 * belongs to, since when the context has been busy, and what to do when a callback ran away (its socket is closed
 * with 1011 and the log names the script's line). Only the realm's loop thread enters; the watchdog's thread only
 * reads {@link #busySince} and calls {@link #interrupt}.
 */
final class Callbacks {

    // Logged under Realm's name, as before the realm was split, so log settings that name it keep working.
    private static final Logger LOG = Logger.getLogger(Realm.class);

    private final String zone;
    private final Context context;
    private final ScriptErrors errors;
    private final Natives.Entries entries;
    private final long maxCallbackMillis;
    // The socket the running callback belongs to (closed with 1011 if it runs away); loop only.
    private WebSocket owner;
    private int depth;
    /** When the outermost running callback started (System.nanoTime), or 0 when the context is idle. */
    private volatile long busySince;
    /** Set by the watchdog before it interrupts the running callback; cleared when the callback has ended. */
    private volatile boolean interrupting;
    private volatile boolean closed;

    Callbacks(String zone, Context context, ScriptErrors errors, Natives.Entries entries, long maxCallbackMillis) {
        this.zone = zone;
        this.context = context;
        this.errors = errors;
        this.entries = entries;
        this.maxCallbackMillis = maxCallbackMillis;
    }

    /**
     * Runs a callback; pending microtasks (promise reactions) run before it returns. A callback's exception is
     * logged and gives null; a runaway callback, interrupted by the watchdog, has its socket closed with 1011.
     * Nested entries (a native calling back into the script) pass exceptions up to the outermost.
     */
    Value enter(WebSocket callbackOwner, Supplier<Value> call) {
        WebSocket previous = owner;
        boolean outermost = depth == 0;
        owner = callbackOwner != null ? callbackOwner : previous;
        depth++;
        if (outermost) {
            busySince = System.nanoTime();
        }
        try {
            return call.get();
        } catch (PolyglotException e) {
            if (!outermost) {
                throw e;
            }
            if (e.isInterrupted() || e.isCancelled() || interrupting) {
                ranAway(owner, runawayLocation(e));
            } else {
                LOG.errorf("Zone '%s': the script %s threw: %s", zone, errors.name(), errors.describe(e));
            }
            return null;
        } finally {
            depth--;
            if (outermost) {
                interrupting = false;
                busySince = 0;
            }
            owner = previous;
        }
    }

    /** The socket the running callback belongs to, or null (a timer set now belongs to it too). */
    WebSocket owner() {
        return owner;
    }

    /** Whether the watchdog is stopping the running callback (the runtime then lets the interrupt through). */
    boolean stopping() {
        return interrupting;
    }

    /** When the running callback started (System.nanoTime), or 0. */
    long busySince() {
        return busySince;
    }

    /** Interrupts the callback that started at {@code since}, if it still runs (on the watchdog's thread). */
    void interrupt(long since, Duration wait) throws TimeoutException {
        if (busySince != since) {
            return; // it ended meanwhile
        }
        interrupting = true;
        context.interrupt(wait);
    }

    /** Once closed, no event, timer or channel message enters the context any more. */
    boolean closed() {
        return closed;
    }

    void close() {
        closed = true;
    }

    private void ranAway(WebSocket socket, String where) {
        if (socket != null) {
            LOG.errorf("Zone '%s': a callback of %s ran longer than %d ms and was stopped at %s; socket %s is closed with 1011",
                    zone, errors.name(), maxCallbackMillis, where, socket.id());
            try {
                socket.close(1011, "The script ran too long.");
            } catch (RuntimeException ignored) {
                // already closed
            }
        } else {
            LOG.errorf("Zone '%s': a callback of %s ran longer than %d ms and was stopped at %s",
                    zone, errors.name(), maxCallbackMillis, where);
        }
    }

    /**
     * Where the runaway code was stopped. The interrupt is first thrown in the runaway code, and a runtime catch
     * may take it there; it fires again at the catch's next call, which is what reaches Java. The first one, in
     * the runtime's {@code caught} slot, has the runaway code's frames.
     */
    private String runawayLocation(PolyglotException e) {
        String where = errors.location(e);
        if (!where.equals(errors.name())) {
            return where;
        }
        try {
            Value caught = entries.caught();
            Value first = caught.getMember("e");
            caught.putMember("e", null);
            if (first != null && first.isException()) {
                first.throwException();
            }
        } catch (PolyglotException original) {
            return errors.location(original);
        } catch (RuntimeException notReadable) {
            // the context is still being interrupted: the file without its line
        }
        return where;
    }
}
