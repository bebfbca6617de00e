package dev.edgesocket.zone;

import dev.edgesocket.config.EdgesocketConfig;
import java.util.Optional;

import dev.edgesocket.api.EdgeScript;

/**
 * Turns a zone's {@code script} setting that is not a bean name (say {@code file:scripts/chat.ts}) into a
 * script. Implemented by other packages (the JavaScript runtime); the registry asks each one at start.
 */
public interface ScriptLoader {

    /** A script this loader runs, and where its requests and events must run. */
    record Loaded(EdgeScript script, EdgesocketConfig.Dispatch dispatch) {
    }

    /**
     * The script for {@code spec}, or empty when this loader does not take that kind of spec.
     *
     * @throws IllegalStateException with a sentence for the operator when the spec is this loader's but the
     *                               script cannot run (missing file, syntax error)
     */
    Optional<Loaded> load(String zone, String spec);

    /** Every zone is loaded: what only loading needed can go. */
    default void loaded() {
    }
}
