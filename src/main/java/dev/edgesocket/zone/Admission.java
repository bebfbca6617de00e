package dev.edgesocket.zone;

import java.util.concurrent.CompletionStage;

/**
 * Places for new sockets: what {@code websockets.max-connections} limits. Single node counts in memory
 * ({@link LocalAdmission}); cluster mode asks Redis, one round trip per upgrade.
 */
public interface Admission {

    /**
     * Asks for a place for a new socket of {@code zone}, before its script runs. Completes with a held
     * {@link Place} (its holder gives it back), or {@link Place#none()} when the zone is full. Never completes
     * exceptionally; may complete on another thread, or already be complete when returned.
     */
    CompletionStage<Place> tryAdmit(Zone zone);
}
