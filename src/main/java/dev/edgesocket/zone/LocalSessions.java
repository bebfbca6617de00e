package dev.edgesocket.zone;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.quarkus.arc.lookup.LookupUnlessProperty;

/** Single node: ids are {@code <zone>-<sequence>}, and the zone's registry answers everything. */
@Singleton
@LookupUnlessProperty(name = "edgesocket.cluster.enabled", stringValue = "true")
public class LocalSessions implements SessionDirectory {

    private final AtomicLong sequences = new AtomicLong();

    @Override
    public String node() {
        return null;
    }

    @Override
    public SessionId newSession(Zone zone) {
        long sequence = sequences.incrementAndGet();
        return new SessionId(sequence, zone.name() + "-" + sequence);
    }

    @Override
    public CompletionStage<Page> page(Zone zone, String after, int limit) {
        long afterSequence = 0;
        if (after != null && !after.isEmpty()) {
            Long parsed = sequenceOf(zone, after);
            if (parsed == null) {
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "after must be a session id of zone '" + zone.name() + "', such as " + zone.name() + "-42."));
            }
            afterSequence = parsed;
        }
        List<ZoneSocket> sockets = zone.openSocketsAfter(afterSequence, limit);
        String next = sockets.size() == limit ? sockets.get(sockets.size() - 1).id() : null;
        return CompletableFuture.completedFuture(new Page(sockets.stream().map(ZoneSocket::info).toList(), next, List.of()));
    }

    @Override
    public CompletionStage<Boolean> close(Zone zone, String id, int code, String reason) {
        Long sequence = sequenceOf(zone, id);
        ZoneSocket socket = sequence == null ? null : zone.openSocket(sequence);
        if (socket == null) {
            return CompletableFuture.completedFuture(false);
        }
        socket.close(code, reason);
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Map<String, NodeCounts>> nodeCounts(Zone zone) {
        return CompletableFuture.completedFuture(Map.of());
    }

    /** The sequence in a socket id of this zone ({@code <zone>-<sequence>}), or null if it is not one. */
    static Long sequenceOf(Zone zone, String id) {
        String prefix = zone.name() + "-";
        if (!id.startsWith(prefix)) {
            return null;
        }
        try {
            return Long.parseLong(id.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
