package dev.edgesocket.js;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.graalvm.polyglot.PolyglotException;
import org.jboss.logging.Logger;

/**
 * One daemon thread for all JavaScript zones: every quarter of {@code edgesocket.js.max-callback-time} it
 * interrupts each callback that has run past the limit ({@link Callbacks#interrupt}).
 */
final class Watchdog implements AutoCloseable {

    // Logged under the loader's name, as before the watchdog had a class of its own.
    private static final Logger LOG = Logger.getLogger(JsScriptLoader.class);

    private final Duration maxCallbackTime;
    private final Iterable<JsZoneScript> scripts;
    private final ScheduledExecutorService thread;

    /** Starts watching {@code scripts}, a live, thread-safe collection. */
    Watchdog(Duration maxCallbackTime, Iterable<JsZoneScript> scripts) {
        this.maxCallbackTime = maxCallbackTime;
        this.scripts = scripts;
        long period = Math.max(10, maxCallbackTime.toMillis() / 4);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgesocket-js-watchdog");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::watch, period, period, TimeUnit.MILLISECONDS);
    }

    /** Interrupts every callback that has run past the limit (on the watchdog's thread). */
    private void watch() {
        long now = System.nanoTime();
        long limit = maxCallbackTime.toNanos();
        for (JsZoneScript script : scripts) {
            for (Realm realm : script.realms()) {
                Callbacks callbacks = realm.callbacks();
                long since = callbacks.busySince();
                if (since != 0 && now - since > limit) {
                    try {
                        callbacks.interrupt(since, Duration.ofSeconds(1));
                    } catch (TimeoutException e) {
                        LOG.warnf("Zone '%s': a runaway callback of %s did not stop within a second of its interrupt",
                                script.zone(), script.name());
                    } catch (PolyglotException | IllegalStateException e) {
                        // the context closed meanwhile
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
