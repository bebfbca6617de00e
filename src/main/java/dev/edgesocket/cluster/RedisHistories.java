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
import dev.edgesocket.metrics.ZoneHistory;
import dev.edgesocket.zone.SettingsStore;
import io.quarkus.arc.lookup.LookupIfProperty;

/**
 * Cluster mode: each node keeps its own history ({@link ZoneHistory}); a call asks every other live node for its
 * samples on the {@link NodeBus} ({@value #SAMPLES}), as a session listing does (one EVAL for the live nodes, one
 * PUBLISH and one answer per node). A node that does not answer within a second is named in
 * {@code unanswered}. An answer holds at most {@code ZoneHistory.CAPACITY} samples per zone, and fewer when the
 * caller asks only for the seconds after its last call.
 */
@Singleton
@LookupIfProperty(name = "edgesocket.cluster.enabled", stringValue = "true")
public class RedisHistories implements NodeHistories {

    /** The bus's message type this class answers. */
    static final String SAMPLES = "samples";

    private final NodeBus bus;
    private final RedisLink link;
    private final ZoneHistory history;
    private final ObjectMapper json;

    @Inject
    public RedisHistories(NodeBus bus, RedisLink link, ZoneHistory history, ObjectMapper json) {
        this.bus = bus;
        this.link = link;
        this.history = history;
        this.json = json;
    }

    @Override
    public String node() {
        return bus.node();
    }

    /** The bus's {@value #SAMPLES}: this node's samples, bounded by {@code ZoneHistory.CAPACITY}. */
    JsonNode answerSamples(JsonNode question) {
        return json.createObjectNode().set("zones", json.valueToTree(history.series(
                question.path("zone").isTextual() ? question.path("zone").asText() : null, question.path("since").asLong())));
    }

    @Override
    public CompletionStage<Gathered> others(String zone, long since) {
        if (!link.up()) {
            return CompletableFuture.failedFuture(unavailable());
        }
        ObjectNode question = json.createObjectNode().put("since", since);
        if (zone != null) {
            question.put("zone", zone);
        }
        return bus.askEveryOther(SAMPLES, question).handle((answers, f) -> {
            if (f != null) {
                Throwable cause = f instanceof CompletionException && f.getCause() != null ? f.getCause() : f;
                throw new CompletionException(link.isLinkFailure(cause) ? unavailable() : cause);
            }
            Map<String, Map<String, Series>> answered = new TreeMap<>();
            List<String> unanswered = new ArrayList<>();
            answers.forEach((other, reply) -> {
                JsonNode zones = reply.body().get("zones");
                if (reply.status() == NodeBus.Status.SILENT) {
                    unanswered.add(other);
                } else if (zones != null && zones.isObject()) { // gone: the node went away meanwhile
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
