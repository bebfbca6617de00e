package dev.edgesocket.cluster;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgesocket.metrics.NodeHistories;
import dev.edgesocket.metrics.Series;
import dev.edgesocket.zone.SettingsStore;
import io.quarkus.arc.lookup.LookupIfProperty;

/**
 * Cluster mode: each node keeps its own history ({@link dev.edgesocket.metrics.ZoneHistory}); a call asks every
 * other live node for its samples over the node's channel, as a session listing does (one EVAL for the live
 * nodes, one PUBLISH and one answer per node). A node that does not answer within a second is named in
 * {@code unanswered}. An answer holds at most {@code ZoneHistory.CAPACITY} samples per zone, and fewer when the
 * caller asks only for the seconds after its last call.
 */
@Singleton
@LookupIfProperty(name = "edgesocket.cluster.enabled", stringValue = "true")
public class RedisHistories implements NodeHistories {

    private final RedisSessions sessions;
    private final RedisLink link;
    private final ObjectMapper json;

    @Inject
    public RedisHistories(RedisSessions sessions, RedisLink link, ObjectMapper json) {
        this.sessions = sessions;
        this.link = link;
        this.json = json;
    }

    @Override
    public String node() {
        return sessions.node();
    }

    @Override
    public CompletionStage<Gathered> others(String zone, long since) {
        if (!link.up()) {
            return CompletableFuture.failedFuture(unavailable());
        }
        ObjectNode question = json.createObjectNode().put("op", "samples").put("since", since);
        if (zone != null) {
            question.put("zone", zone);
        }
        return sessions.askEveryOther(question).handle((answers, f) -> {
            if (f != null) {
                throw new CompletionException(link.isLinkFailure(f) ? unavailable() : f);
            }
            Map<String, Map<String, Series>> answered = new TreeMap<>();
            List<String> unanswered = new ArrayList<>();
            answers.forEach((other, reply) -> {
                JsonNode zones = reply == null ? null : reply.get("zones");
                if (reply == null) {
                    unanswered.add(other);
                } else if (zones != null && zones.isObject()) { // absent: the node went away meanwhile
                    Map<String, Series> byZone = new LinkedHashMap<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = zones.fields(); it.hasNext();) {
                        Map.Entry<String, JsonNode> e = it.next();
                        byZone.put(e.getKey(), json.convertValue(e.getValue(), Series.class));
                    }
                    answered.put(other, byZone);
                }
            });
            return new Gathered(answered, unanswered);
        });
    }

    private SettingsStore.UnavailableException unavailable() {
        return new SettingsStore.UnavailableException("The cluster (Redis) cannot be reached (" + link.lastProblem()
                + "), so other servers' charts cannot be gathered; this server's own are shown.", null);
    }
}
