package dev.edgesocket.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgesocket.runtime.CloseCodes;
import dev.edgesocket.zone.SessionDirectory;
import dev.edgesocket.zone.SettingsStore;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;

/** The HTTP config endpoints: zones, their WebSocket settings, and their open sockets. */
@Path("/api/zones")
@Produces(MediaType.APPLICATION_JSON)
@SecurityScheme(securitySchemeName = "AccessKey", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER,
        apiKeyName = "AccessKey", description = "The admin API key (EDGESOCKET_ADMIN_API_KEY)")
@SecurityRequirement(name = "AccessKey")
@APIResponse(responseCode = "401", description = "Missing or wrong AccessKey",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class ZoneResource {

    private static final int MAX_PAGE = 1000;

    /** How long a call waits for the cluster (Redis and other nodes); a single node answers at once. */
    private static final long WAIT_SECONDS = 5;

    @Inject
    ZoneRegistry zones;

    // Single node or cluster, selected by edgesocket.cluster.enabled.
    @Inject
    Instance<SettingsStore> settingsStore;

    @Inject
    Instance<SessionDirectory> sessionDirectory;

    @Inject
    ObjectMapper json;

    @GET
    @Operation(summary = "Every zone: name, path, WebSocket settings and live counts")
    public List<ZoneView> list() {
        return zones.all().stream().map(this::view).toList();
    }

    /** The zone with its live counts, per node in cluster mode. */
    private ZoneView view(Zone zone) {
        Map<String, SessionDirectory.NodeCounts> nodes;
        try {
            nodes = await(sessionDirectory.get().nodeCounts(zone));
        } catch (Exception e) {
            nodes = Map.of();
        }
        return ZoneView.of(zone, nodes);
    }

    /** Waits (on a worker thread: these endpoints block) for what the store or directory answers. */
    private static <T> T await(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static Response unavailable(String sentence) {
        return Response.status(503).header("Retry-After", "5").entity(ApiError.of(sentence)).build();
    }

    @GET
    @Path("{zone}")
    @Operation(summary = "One zone")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ZoneView.class)))
    @APIResponse(responseCode = "404", description = "No such zone", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response get(@PathParam("zone") String name) {
        return zones.named(name).map(z -> Response.ok(view(z)).build()).orElseGet(() -> noZone(name));
    }

    @PATCH
    @Path("{zone}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change some WebSocket settings or the origin's URL of a zone; new upgrades see them at once",
            description = "Send only the fields to change, e.g. {\"websockets\": {\"enabled\": false}} or "
                    + "{\"origin\": {\"url\": \"http://orders:8080\"}} ({\"url\": null} removes the origin of a zone "
                    + "with a script; a Pull Zone keeps one). A rejected change (400) changes nothing. Disabling keeps "
                    + "open sockets unless closeExisting=true; open sockets keep the origin they started with.")
    @RequestBody(content = @Content(schema = @Schema(implementation = WebSocketsPatch.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ZoneView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, unknown fields, wrong types or values out of range",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such zone", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "Cluster mode: Redis cannot be reached; nothing was changed",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response patch(@PathParam("zone") String name, @QueryParam("closeExisting") @DefaultValue("false") String closeExistingParam,
            String body) throws IOException {
        Zone zone = zones.named(name).orElse(null);
        if (zone == null) {
            return noZone(name);
        }
        if (!closeExistingParam.equals("true") && !closeExistingParam.equals("false")) {
            return badRequest("closeExisting must be true or false, got '" + closeExistingParam + "'. Nothing was changed.",
                    Map.of());
        }
        boolean closeExisting = Boolean.parseBoolean(closeExistingParam);
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            return badRequest("The body is not valid JSON: " + e.getOriginalMessage() + ". Nothing was changed.", Map.of());
        }
        if (root == null || !root.isObject()) {
            return badRequest("The body must be a JSON object such as {\"websockets\": {\"enabled\": false}}. Nothing was changed.",
                    Map.of());
        }
        Map<String, String> problems = new LinkedHashMap<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!field.equals("websockets") && !field.equals("origin")) {
                problems.put(field, "is not part of a zone's settings; send {\"websockets\": {...}} or {\"origin\": {\"url\": ...}}");
            }
        }
        JsonNode websockets = root.get("websockets");
        JsonNode origin = root.get("origin");
        if (websockets != null || origin == null) {
            problems.putAll(SettingsPatch.problems(websockets));
        }
        if (origin != null) {
            problems.putAll(OriginOverride.problems(origin, zone));
        }
        if (!problems.isEmpty()) {
            return badRequest("The change was rejected and nothing was changed: " + problems.size()
                    + (problems.size() == 1 ? " field is" : " fields are") + " wrong.", problems);
        }
        String kindProblem = origin == null ? null : OriginOverride.kindProblem(zone, origin.get("url"));
        if (kindProblem != null) {
            return badRequest(kindProblem, Map.of(OriginOverride.KEY, "a Pull Zone needs its origin"));
        }
        // The stores keep one flat object of changes: the websockets fields and "origin.url" (OriginOverride).
        ObjectNode changes = websockets == null ? json.createObjectNode() : ((ObjectNode) websockets).deepCopy();
        if (origin != null && origin.has("url")) {
            changes.set(OriginOverride.KEY, origin.get("url"));
        }
        try {
            await(settingsStore.get().change(zone, changes, closeExisting));
        } catch (SettingsStore.UnavailableException e) {
            return unavailable(e.getMessage());
        } catch (TimeoutException e) {
            return unavailable("The cluster's settings store (Redis) did not answer within " + WAIT_SECONDS
                    + " s; the change may or may not have been made. Read the zone back before trying again.");
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Response.ok(view(zone)).build();
    }

    @GET
    @Path("{zone}/sessions")
    @Operation(summary = "The zone's open sockets, oldest first, a page at a time")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = SessionPage.class)))
    @APIResponse(responseCode = "400", description = "Bad paging parameters", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such zone", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response sessions(@PathParam("zone") String name, @QueryParam("limit") @DefaultValue("100") String limitParam,
            @QueryParam("after") String after) {
        Zone zone = zones.named(name).orElse(null);
        if (zone == null) {
            return noZone(name);
        }
        // Taken as text and parsed here: a malformed number gets the API's 400, not the framework's bare 404.
        int limit;
        try {
            limit = Integer.parseInt(limitParam.trim());
        } catch (NumberFormatException e) {
            return badRequest("limit must be a whole number from 1 to " + MAX_PAGE + ", got '" + limitParam + "'.", Map.of());
        }
        if (limit < 1 || limit > MAX_PAGE) {
            return badRequest("limit must be from 1 to " + MAX_PAGE + ", got " + limit + ".", Map.of());
        }
        return askDirectory(() -> sessionDirectory.get().page(zone, after, limit),
                page -> Response.ok(new SessionPage(page.sessions(), page.next(), page.unanswered())).build());
    }

    @DELETE
    @Path("{zone}/sessions/{id}")
    @Operation(summary = "Close one socket with a code and reason (validated as WebSocket.close is)")
    @APIResponse(responseCode = "204", description = "The closing handshake has started")
    @APIResponse(responseCode = "400", description = "An invalid code or reason", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such zone or session", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response close(@PathParam("zone") String name, @PathParam("id") String id,
            @QueryParam("code") @DefaultValue("1000") String code, @QueryParam("reason") @DefaultValue("") String reason) {
        Zone zone = zones.named(name).orElse(null);
        if (zone == null) {
            return noZone(name);
        }
        int closeCode;
        try {
            closeCode = Integer.parseInt(code);
        } catch (NumberFormatException e) {
            return badRequest("code must be a whole number, got '" + code + "'.", Map.of());
        }
        try {
            CloseCodes.validate(closeCode, reason);
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage(), Map.of());
        }
        return askDirectory(() -> sessionDirectory.get().close(zone, id, closeCode, reason), closed -> closed
                ? Response.noContent().build()
                : Response.status(404).entity(ApiError.of("Zone '" + name + "' has no open session '" + id + "'.")).build());
    }

    /** Waits for the session directory's answer and turns it into a response; its failures into 400 or 503. */
    private <T> Response askDirectory(java.util.function.Supplier<CompletionStage<T>> call,
            java.util.function.Function<T, Response> then) {
        T value;
        try {
            value = await(call.get()); // asked inside: a malformed id throws at once, as a 400
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage(), Map.of());
        } catch (SettingsStore.UnavailableException e) {
            return unavailable(e.getMessage());
        } catch (TimeoutException e) {
            return unavailable("The cluster's session directory (Redis) did not answer within " + WAIT_SECONDS + " s.");
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return then.apply(value);
    }

    private static Response noZone(String name) {
        return Response.status(404).entity(ApiError.of("There is no zone '" + name + "'.")).build();
    }

    private static Response badRequest(String message, Map<String, String> errors) {
        return Response.status(400).entity(new ApiError(message, errors)).build();
    }

    /** The PATCH body, for the OpenAPI document: every field optional ({@link SettingsSchemas} builds them). */
    @Schema(name = "ZonePatch")
    public record WebSocketsPatch(@Schema(ref = SettingsSchemas.FIELDS) Object websockets, OriginPatch origin) {
    }

    /** The origin's one field that changes at run time. */
    @Schema(name = "OriginPatch", description = "The zone's origin; only its URL changes at run time")
    public record OriginPatch(@Schema(description = "The origin's base URL (http:// or https://, a host, an optional "
            + "port and path); null removes the origin of a zone with a script", nullable = true,
            examples = "http://orders:8080") String url) {
    }
}
