package dev.edgesocket.js;

import org.jboss.logging.Logger;

import dev.edgesocket.api.WebSocket;

/** Where a script's {@code console} and its uncaught errors go: the server's log, tagged with the zone. */
final class ScriptConsole {

    // Logged under Realm's name, as before the realm was split, so log settings that name it keep working.
    private static final Logger LOG = Logger.getLogger(Realm.class);

    private final String zone;
    private final Logger console;
    private final Callbacks callbacks;
    private final ScriptErrors errors;

    ScriptConsole(String zone, Callbacks callbacks, ScriptErrors errors) {
        this.zone = zone;
        this.console = Logger.getLogger("dev.edgesocket.js.console." + zone);
        this.callbacks = callbacks;
        this.errors = errors;
    }

    /** A console line at the runtime's level: error, warn, debug, or info for any other. */
    void log(String level, String text) {
        switch (level) {
            case "error" -> console.errorf("[%s] %s", zone, text);
            case "warn" -> console.warnf("[%s] %s", zone, text);
            case "debug" -> console.debugf("[%s] %s", zone, text);
            default -> console.infof("[%s] %s", zone, text);
        }
    }

    /** A listener, timer or microtask threw and the runtime caught it: logged, and the socket stays open. */
    void reportError(String what, String stack) {
        String rewritten = errors.rewrite(stack);
        WebSocket owner = callbacks.owner();
        if (owner != null) {
            LOG.errorf("Zone '%s': %s of socket %s threw; the socket stays open: %s", zone, what, owner.id(),
                    rewritten);
        } else {
            LOG.errorf("Zone '%s': %s threw: %s", zone, what, rewritten);
        }
    }
}
