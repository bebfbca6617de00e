package dev.edgesocket.admin;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

import dev.edgesocket.runtime.CloseCodes;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;
import dev.edgesocket.zone.ZoneSettings;
import dev.edgesocket.zone.ZoneSocket;

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

    @Inject
    ZoneRegistry zones;

    @Inject
    ZoneOverrides overrides;

    @Inject
    ObjectMapper json;

    @GET
    @Operation(summary = "Every zone: name, path, WebSocket settings and live counts")
    public List<ZoneView> list() {
        return zones.all().stream().map(ZoneView::of).toList();
    }

    @GET
    @Path("{zone}")
    @Operation(summary = "One zone")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ZoneView.class)))
    @APIResponse(responseCode = "404", description = "No such zone", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response get(@PathParam("zone") String name) {
        return zones.named(name).map(z -> Response.ok(ZoneView.of(z)).build()).orElseGet(() -> noZone(name));
    }

    @PATCH
    @Path("{zone}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change some WebSocket settings of a zone; new upgrades see them at once",
            description = "Send only the fields to change, e.g. {\"websockets\": {\"enabled\": false}}. "
                    + "A rejected change (400) changes nothing. Disabling keeps open sockets unless closeExisting=true.")
    @RequestBody(content = @Content(schema = @Schema(implementation = WebSocketsPatch.class)))
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ZoneView.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, unknown fields, wrong types or values out of range",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such zone", content = @Content(schema = @Schema(implementation = ApiError.class)))
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
            if (!field.equals("websockets")) {
                problems.put(field, "is not part of a zone's settings; send {\"websockets\": {...}}");
            }
        }
        JsonNode websockets = root.get("websockets");
        problems.putAll(SettingsPatch.problems(websockets));
        if (!problems.isEmpty()) {
            return badRequest("The change was rejected and nothing was changed: " + problems.size()
                    + (problems.size() == 1 ? " field is" : " fields are") + " wrong.", problems);
        }
        synchronized (zone) {
            ZoneSettings next = SettingsPatch.apply(zone.settings(), websockets);
            overrides.record(zone, websockets);
            zone.replaceSettings(next);
        }
        if (closeExisting && !zone.settings().enabled()) {
            for (ZoneSocket socket : zone.openSockets()) {
                socket.close(CloseCodes.GOING_AWAY, "WebSockets were disabled for this zone");
            }
        }
        return Response.ok(ZoneView.of(zone)).build();
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
        long afterSequence = 0;
        if (after != null && !after.isEmpty()) {
            Long parsed = zone.sequenceOf(after);
            if (parsed == null) {
                return badRequest("after must be a session id of zone '" + name + "', such as " + name + "-42.", Map.of());
            }
            afterSequence = parsed;
        }
        List<ZoneSocket> page = zone.openSocketsAfter(afterSequence, limit);
        String next = page.size() == limit ? page.get(page.size() - 1).id() : null;
        return Response.ok(new SessionPage(page.stream().map(ZoneSocket::info).toList(), next)).build();
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
        ZoneSocket socket = zone.openSocket(id);
        if (socket == null) {
            return Response.status(404).entity(ApiError.of("Zone '" + name + "' has no open session '" + id + "'.")).build();
        }
        int closeCode;
        try {
            closeCode = Integer.parseInt(code);
        } catch (NumberFormatException e) {
            return badRequest("code must be a whole number, got '" + code + "'.", Map.of());
        }
        try {
            socket.close(closeCode, reason);
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage(), Map.of());
        }
        return Response.noContent().build();
    }

    private static Response noZone(String name) {
        return Response.status(404).entity(ApiError.of("There is no zone '" + name + "'.")).build();
    }

    private static Response badRequest(String message, Map<String, String> errors) {
        return Response.status(400).entity(new ApiError(message, errors)).build();
    }

    /** The PATCH body, for the OpenAPI document: every field optional. */
    @Schema(name = "ZonePatch")
    public record WebSocketsPatch(@Schema(implementation = WebSocketsFields.class) Object websockets) {
    }

    @Schema(name = "WebSocketsFields", description = "Any subset of the zone's WebSocket settings")
    public record WebSocketsFields(Boolean enabled, List<String> subprotocols, Double idleTimeout, Double maxIdle,
            Integer maxConnections, Long maxMessageSize, Long maxBufferedAmount, Integer maxFragments, Boolean compression,
            List<String> allowedOrigins, Boolean requireOrigin) {
    }
}
