package dev.edgesocket.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.edgesocket.metrics.NodeHistories;
import dev.edgesocket.metrics.Series;
import dev.edgesocket.metrics.ZoneHistory;
import dev.edgesocket.runtime.SocketRuntime;
import dev.edgesocket.zone.SettingsStore;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;

/**
 * The console's charts: the last 15 minutes of each zone, a sample per second, from the counters the metrics
 * publish. In cluster mode the totals of every live node and each node's own series.
 */
@Path("/api/stats")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "AccessKey")
@APIResponse(responseCode = "401", description = "Missing or wrong AccessKey",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class StatsResource {

    /** How long a call waits for the other nodes (cluster mode); each is given a second to answer. */
    private static final long WAIT_SECONDS = 3;

    @Inject
    ZoneRegistry zones;

    @Inject
    ZoneHistory history;

    @Inject
    SocketRuntime runtime;

    // Single node or cluster, selected by edgesocket.cluster.enabled.
    @Inject
    Instance<NodeHistories> nodeHistories;

    /**
     * The answer: for each zone, {@code series} (the totals in cluster mode) and, in cluster mode, each node's
     * own; {@code unanswered} names nodes that did not answer in time, {@code problem} says why other nodes
     * could not be asked at all.
     */
    @Schema(name = "Stats")
    @io.quarkus.runtime.annotations.RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StatsView(String node, int intervalSeconds, int capacity, int pingWindowSeconds,
            List<ZoneStats> zones, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> unanswered,
            String problem, Budget budget) {
    }

    /**
     * This server's queued-bytes budget ({@code edgesocket.limits.max-queued-bytes}): what all its sockets hold now,
     * the budget, the sockets closed with 1013 for it and the upgrades refused for it since start.
     */
    @Schema(name = "Budget")
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Budget(long queuedBytes, long maxQueuedBytes, long closed, long refused) {
    }

    private Budget budget() {
        return new Budget(runtime.queuedBytes(), runtime.maxQueuedBytes(), runtime.budgetCloses(), runtime.budgetRefusals());
    }

    @Schema(name = "ZoneStats")
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record ZoneStats(String name, String path, Series series,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Series> nodes) {
    }

    @GET
    @Operation(summary = "The last 15 minutes of every zone, one sample per second, for charts",
            description = "Open sockets, upgrades/s accepted and refused, messages/s and bytes/s in and out, closes/s "
                    + "by code, and the ping round trip p50/p99 (ms) over the last 30 s. Poll with since= the last t "
                    + "seen to get only newer samples. In cluster mode series is the sum over the live nodes "
                    + "(ping percentiles: the highest node's) and nodes holds each node's own.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = StatsView.class)))
    @APIResponse(responseCode = "400", description = "A malformed since", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such zone", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response stats(
            @Parameter(description = "Only this zone (default: every zone)") @QueryParam("zone") String zone,
            @Parameter(description = "Only samples after this second (Unix time); default: all that are kept")
            @QueryParam("since") String sinceParam) {
        if (zone != null && zones.named(zone).isEmpty()) {
            return Response.status(404).entity(ApiError.of("There is no zone '" + zone + "'.")).build();
        }
        long since = 0;
        if (sinceParam != null && !sinceParam.isBlank()) {
            try {
                since = Long.parseLong(sinceParam.trim());
            } catch (NumberFormatException e) {
                return Response.status(400).entity(ApiError.of("since must be a second in Unix time (a whole number), got '"
                        + sinceParam + "'.")).build();
            }
        }
        Map<String, Series> mine = history.series(zone, since);
        NodeHistories others = nodeHistories.get();
        String node = others.node();
        if (node == null) {
            List<ZoneStats> result = new ArrayList<>();
            mine.forEach((name, series) -> result.add(new ZoneStats(name, pathOf(name), series, Map.of())));
            return ok(new StatsView(null, 1, ZoneHistory.CAPACITY, ZoneHistory.PING_WINDOW_SECONDS, result, List.of(), null, budget()));
        }
        NodeHistories.Gathered gathered;
        String problem = null;
        try {
            gathered = others.others(zone, since).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof SettingsStore.UnavailableException unavailable)) {
                throw new IllegalStateException(e.getCause());
            }
            gathered = new NodeHistories.Gathered(Map.of(), List.of());
            problem = unavailable.getMessage();
        } catch (TimeoutException e) {
            gathered = new NodeHistories.Gathered(Map.of(), List.of());
            problem = "The other nodes did not answer within " + WAIT_SECONDS + " s; this server's own samples are shown.";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        List<ZoneStats> result = new ArrayList<>();
        for (Map.Entry<String, Series> own : mine.entrySet()) {
            Map<String, Series> byNode = new TreeMap<>();
            byNode.put(node, own.getValue());
            gathered.nodes().forEach((other, theirs) -> {
                Series s = theirs.get(own.getKey());
                if (s != null) {
                    byNode.put(other, s);
                }
            });
            result.add(new ZoneStats(own.getKey(), pathOf(own.getKey()), Series.total(byNode.values()),
                    new LinkedHashMap<>(byNode)));
        }
        return ok(new StatsView(node, 1, ZoneHistory.CAPACITY, ZoneHistory.PING_WINDOW_SECONDS, result,
                gathered.unanswered(), problem, budget()));
    }

    private String pathOf(String zone) {
        return zones.named(zone).map(Zone::path).orElse(null);
    }

    private static Response ok(StatsView view) {
        // Charts poll this every second or two: no cache should keep an answer.
        return Response.ok(view).header("Cache-Control", "no-store").build();
    }
}
