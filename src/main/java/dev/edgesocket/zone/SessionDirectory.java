package dev.edgesocket.zone;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * How sockets are named and reached by id. Single node: the zone's own registry
 * ({@link LocalSessions}). Cluster mode: every server is asked for its own sockets through Redis, and a close
 * goes to the server that holds the socket; nothing here runs per message.
 */
public interface SessionDirectory {

    /** A new socket's place in its zone's order and its id, unique across every server of the deployment. */
    record SessionId(long sequence, String id) {
    }

    /**
     * A page of sessions, oldest first; {@code next} is the {@code after} of the next page, or null;
     * {@code unanswered} names the servers whose sockets could not be asked in time (cluster mode).
     */
    record Page(List<SessionInfo> sessions, String next, List<String> unanswered) {
    }

    /** The live counts of one server, as {@code GET /api/zones} shows them per node. */
    record NodeCounts(int openSockets, long upgrades, long refusedDisabled, long refusedLimit, long refusedOrigin) {
    }

    /** This server's name in the cluster, or null on a single node. */
    String node();

    SessionId newSession(Zone zone);

    /**
     * Up to {@code limit} open sockets of the zone opened after the one with id {@code after} (null or empty:
     * from the oldest). Fails with {@link IllegalArgumentException} (a sentence) when {@code after} is not a
     * session id of the zone, or with {@link SettingsStore.UnavailableException} when the cluster cannot be
     * asked.
     */
    CompletionStage<Page> page(Zone zone, String after, int limit);

    /**
     * Closes the socket with this id (code and reason already checked) on whichever server holds it.
     * Completes with false when no server has it open.
     */
    CompletionStage<Boolean> close(Zone zone, String id, int code, String reason);

    /** Live counts of every server by node name, for the zone; empty on a single node. */
    CompletionStage<Map<String, NodeCounts>> nodeCounts(Zone zone);
}
