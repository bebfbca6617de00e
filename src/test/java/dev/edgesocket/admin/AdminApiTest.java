package dev.edgesocket.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.EventJournal;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Every config endpoint, its 401, 404 and 400 answers, and that a rejected change changes nothing. */
@QuarkusTest
class AdminApiTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    EventJournal journal;

    private static RequestSpecification api() {
        return given().header("AccessKey", "test-key");
    }

    @Test
    void withoutTheKeyEveryEndpointAnswers401WithASentence() {
        given().when().get("/api/zones").then().statusCode(401)
                .body("message", equalTo("This call needs the header AccessKey with the admin API key."));
        given().header("AccessKey", "wrong").when().get("/api/zones/echo").then().statusCode(401)
                .body("message", equalTo("The AccessKey header does not match the admin API key."));
        given().header("AccessKey", "test-key-and-more").contentType(ContentType.JSON).body("{}")
                .when().patch("/api/zones/echo").then().statusCode(401);
        given().when().get("/api/zones/echo/sessions").then().statusCode(401);
        given().when().delete("/api/zones/echo/sessions/echo-1").then().statusCode(401);
    }

    @Test
    void listsEveryZoneWithSettingsAndLiveCounts() {
        api().when().get("/api/zones").then().statusCode(200)
                .body("name", hasItems("echo", "lab", "admin"))
                .body("find { it.name == 'echo' }.path", equalTo("/echo"))
                .body("find { it.name == 'echo' }.dispatch", equalTo("worker"))
                .body("find { it.name == 'lab-loop' }.dispatch", equalTo("event-loop"))
                .body("find { it.name == 'echo' }.websockets.enabled", equalTo(true))
                .body("find { it.name == 'echo' }.websockets.idleTimeout", equalTo(30))
                .body("find { it.name == 'echo' }.websockets.maxIdle", equalTo(120))
                .body("find { it.name == 'echo' }.websockets.maxConnections", equalTo(10000))
                .body("find { it.name == 'echo' }.websockets.maxMessageSize", equalTo(1048576))
                .body("find { it.name == 'echo' }.websockets.maxBufferedAmount", equalTo(4194304))
                .body("find { it.name == 'proto' }.websockets.subprotocols", equalTo(List.of("v2.chat", "v1.chat")))
                .body("find { it.name == 'echo' }.live", hasKey("openSockets"));
    }

    @Test
    void oneZoneAndAnUnknownOne() {
        try (WsClient client = WsClient.connect(base, "/admin-zone")) {
            client.send("x");
            client.expectText("Echo: x");
            api().when().get("/api/zones/admin").then().statusCode(200)
                    .body("name", equalTo("admin"))
                    .body("path", equalTo("/admin-zone"))
                    .body("live.openSockets", equalTo(1));
        }
        api().when().get("/api/zones/nope").then().statusCode(404)
                .body("message", equalTo("There is no zone 'nope'."));
    }

    @Test
    void aPatchChangesOnlyTheFieldsItNames() {
        try {
            api().contentType(ContentType.JSON).body("{\"websockets\": {\"maxConnections\": 2000, \"idleTimeout\": 45, \"subprotocols\": [\"a\", \"b\"]}}")
                    .when().patch("/api/zones/admin").then().statusCode(200)
                    .body("websockets.maxConnections", equalTo(2000))
                    .body("websockets.idleTimeout", equalTo(45))
                    .body("websockets.subprotocols", equalTo(List.of("a", "b")))
                    .body("websockets.maxIdle", equalTo(120))
                    .body("websockets.enabled", equalTo(true));
            api().when().get("/api/zones/admin").then().body("websockets.maxConnections", equalTo(2000));
        } finally {
            api().contentType(ContentType.JSON).body("{\"websockets\": {\"maxConnections\": 10000, \"idleTimeout\": 30, \"subprotocols\": []}}")
                    .when().patch("/api/zones/admin").then().statusCode(200);
        }
    }

    @Test
    void durationsKeepTheirMillisecondsAndTheFrameSettingsArePatchable() {
        try {
            api().contentType(ContentType.JSON)
                    .body("{\"websockets\": {\"idleTimeout\": 1.5, \"maxFragments\": 100, \"compression\": true}}")
                    .when().patch("/api/zones/admin").then().statusCode(200)
                    .body("websockets.idleTimeout", equalTo(1.5f))
                    .body("websockets.maxIdle", equalTo(120))
                    .body("websockets.maxFragments", equalTo(100))
                    .body("websockets.compression", equalTo(true));
            patchRejected("{\"websockets\": {\"maxFragments\": 0, \"compression\": \"yes\"}}", "websockets.maxFragments")
                    .body("errors.'websockets.compression'", equalTo("must be true or false"));
        } finally {
            api().contentType(ContentType.JSON)
                    .body("{\"websockets\": {\"idleTimeout\": 30, \"maxFragments\": 16384, \"compression\": false}}")
                    .when().patch("/api/zones/admin").then().statusCode(200);
        }
    }

    @Test
    void rejectedPatchesSayWhatIsWrongAndChangeNothing() {
        String before = api().when().get("/api/zones/admin").then().extract().path("websockets").toString();
        patchRejected("{\"websockets\": {\"maxConnections\": 5", null)
                .body("message", containsString("The body is not valid JSON"));
        patchRejected("[1, 2]", null).body("message", containsString("must be a JSON object"));
        patchRejected("{\"websockets\": {\"maxConnections\": 5, \"bogus\": 1}}", "websockets.bogus")
                .body("errors.'websockets.bogus'", containsString("is not a setting"));
        patchRejected("{\"websockets\": {\"enabled\": \"yes\"}}", "websockets.enabled")
                .body("errors.'websockets.enabled'", equalTo("must be true or false"));
        patchRejected("{\"websockets\": {\"maxConnections\": -1}}", "websockets.maxConnections")
                .body("errors.'websockets.maxConnections'", equalTo("must be a whole number, 0 or more, got -1"));
        patchRejected("{\"websockets\": {\"idleTimeout\": -5, \"maxIdle\": 1.0005, \"maxMessageSize\": 0}}", "websockets.idleTimeout")
                .body("errors.'websockets.maxIdle'", equalTo(
                        "must be a number of seconds, 0 or more, to the millisecond (such as 30 or 1.5), got 1.0005"))
                .body("errors.'websockets.maxMessageSize'", containsString("from 1"))
                .body("message", containsString("3 fields are wrong"));
        patchRejected("{\"websockets\": {\"subprotocols\": [\"ok\", \"not ok\"]}}", "websockets.subprotocols");
        patchRejected("{\"zone\": \"x\", \"websockets\": {\"enabled\": false}}", "zone");
        String after = api().when().get("/api/zones/admin").then().extract().path("websockets").toString();
        assertEquals(before, after, "a rejected change changes nothing");
        api().contentType(ContentType.JSON).body("{\"websockets\": {}}").when().patch("/api/zones/nope").then().statusCode(404);
    }

    @Test
    void theOriginsUrlChangesAtRunTimeAndWithItTheZonesKind() {
        api().when().get("/api/zones/pull").then().statusCode(200)
                .body("kind", equalTo("pull-zone")).body("origin.url", equalTo("http://127.0.0.1:9"));
        // A Pull Zone's origin moves; the other origin settings stay as configured.
        api().contentType(ContentType.JSON).body("{\"origin\": {\"url\": \"https://orders.internal:8443/base\"}}")
                .when().patch("/api/zones/pull").then().statusCode(200)
                .body("kind", equalTo("pull-zone"))
                .body("origin.url", equalTo("https://orders.internal:8443/base"))
                .body("origin.connectTimeout", equalTo("2s"));
        // A script zone gains an origin (middleware) and loses it again (standalone), its settings untouched.
        String settings = api().when().get("/api/zones/fronted").then().extract().path("websockets").toString();
        api().when().get("/api/zones/fronted").then().body("kind", equalTo("standalone")).body("$", not(hasKey("origin")));
        api().contentType(ContentType.JSON).body("{\"origin\": {\"url\": \"http://127.0.0.1:9\"}}")
                .when().patch("/api/zones/fronted").then().statusCode(200)
                .body("kind", equalTo("middleware")).body("origin.url", equalTo("http://127.0.0.1:9"))
                .body("origin.connectTimeout", equalTo("5s")).body("origin.responseTimeout", equalTo("30s"));
        api().contentType(ContentType.JSON).body("{\"origin\": {\"url\": null}, \"websockets\": {\"maxIdle\": 120}}")
                .when().patch("/api/zones/fronted").then().statusCode(200)
                .body("kind", equalTo("standalone")).body("$", not(hasKey("origin")));
        assertEquals(settings, api().when().get("/api/zones/fronted").then().extract().path("websockets").toString());
    }

    @Test
    void aBadOriginChangeSaysWhyAndChangesNothing() {
        String before = api().when().get("/api/zones/pull").then().extract().asString();
        // A Pull Zone cannot lose its origin: it would have neither a script nor an origin.
        api().contentType(ContentType.JSON).body("{\"origin\": {\"url\": null}, \"websockets\": {\"enabled\": false}}")
                .when().patch("/api/zones/pull").then().statusCode(400)
                .body("message", containsString("neither a script nor an origin"))
                .body("message", containsString("Nothing was changed"))
                .body("errors", hasKey("origin.url"));
        // A malformed URL gets OriginSettings.parse's sentence.
        api().contentType(ContentType.JSON).body("{\"origin\": {\"url\": \"ftp://files.example.com\"}}")
                .when().patch("/api/zones/pull").then().statusCode(400)
                .body("errors.'origin.url'", equalTo("'ftp://files.example.com' must be an http:// or https:// URL"));
        api().contentType(ContentType.JSON).body("{\"origin\": {\"url\": \"http://orders:8080/?a=1\"}}")
                .when().patch("/api/zones/pull").then().statusCode(400)
                .body("errors.'origin.url'", equalTo("'http://orders:8080/?a=1' may hold a scheme, a host, a port and a path only"));
        api().contentType(ContentType.JSON).body("{\"origin\": {\"url\": 8080}}")
                .when().patch("/api/zones/pull").then().statusCode(400)
                .body("errors.'origin.url'", containsString("as a string"));
        // Only the URL changes at run time; an origin that is not an object is refused too.
        api().contentType(ContentType.JSON).body("{\"origin\": {\"url\": \"http://a:1\", \"connectTimeout\": 3}}")
                .when().patch("/api/zones/pull").then().statusCode(400)
                .body("errors.'origin.connectTimeout'", containsString("only origin.url can"));
        api().contentType(ContentType.JSON).body("{\"origin\": \"http://a:1\"}")
                .when().patch("/api/zones/pull").then().statusCode(400).body("errors", hasKey("origin"));
        assertEquals(before, api().when().get("/api/zones/pull").then().extract().asString(), "nothing changed");
    }

    private io.restassured.response.ValidatableResponse patchRejected(String body, String field) {
        var response = api().contentType(ContentType.JSON).body(body).when().patch("/api/zones/admin").then().statusCode(400);
        if (field != null) {
            response.body("errors", hasKey(field));
        }
        return response;
    }

    @Test
    void sessionsArePagedAndCanBeClosedWithACodeAndReason() {
        List<WsClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                WsClient client = WsClient.connect(base, "/admin-zone?tag=admin-" + i);
                client.send("hello " + i);
                client.expectText("Echo: hello " + i);
                clients.add(client);
            }
            List<String> ids = new ArrayList<>();
            String after = "";
            for (int page = 0; page < 3; page++) {
                var body = api().queryParam("limit", 2).queryParam("after", after)
                        .when().get("/api/zones/admin/sessions").then().statusCode(200).extract().jsonPath();
                ids.addAll(body.getList("sessions.id"));
                after = body.getString("next");
                if (after == null) {
                    break;
                }
            }
            assertEquals(5, ids.size(), "three pages of 2, 2 and 1: " + ids);
            api().queryParam("limit", 1).when().get("/api/zones/admin/sessions").then().statusCode(200)
                    .body("sessions[0].remoteAddress", containsString("127.0.0.1"))
                    .body("sessions[0].messagesIn", equalTo(1))
                    .body("sessions[0].messagesOut", equalTo(1))
                    .body("sessions[0].bytesIn", equalTo(7))
                    .body("sessions[0].bytesOut", equalTo(13))
                    .body("sessions[0].protocol", equalTo(""))
                    .body("sessions[0]", hasKey("connectedAt"))
                    .body("sessions[0]", hasKey("lastDataAt"))
                    .body("sessions[0]", hasKey("lastPongRoundTripMillis"))
                    .body("next", not(nullValue()));
            api().queryParam("limit", 0).when().get("/api/zones/admin/sessions").then().statusCode(400);
            api().queryParam("after", "lab-3").when().get("/api/zones/admin/sessions").then().statusCode(400);

            String first = ids.get(0);
            api().queryParam("code", 1005).when().delete("/api/zones/admin/sessions/" + first).then().statusCode(400)
                    .body("message", containsString("Close code 1005 cannot be sent"));
            api().queryParam("code", "x").when().delete("/api/zones/admin/sessions/" + first).then().statusCode(400);
            api().when().delete("/api/zones/admin/sessions/admin-999999").then().statusCode(404)
                    .body("message", equalTo("Zone 'admin' has no open session 'admin-999999'."));
            api().queryParam("code", 4001).queryParam("reason", "kicked")
                    .when().delete("/api/zones/admin/sessions/" + first).then().statusCode(204);
            assertEquals(new WsClient.Closed(4001, "kicked"), clients.get(0).awaitClose());
            journal.next("admin-0");
            journal.next("admin-0");
            assertEquals("close 4001 kicked true CLOSED", journal.next("admin-0"));
        } finally {
            clients.forEach(WsClient::close);
        }
    }

    @Test
    void theOpenApiDocumentDescribesEveryEndpoint() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/zones"))
                .body("paths", hasKey("/api/zones/{zone}"))
                .body("paths.'/api/zones/{zone}'", hasKey("patch"))
                .body("paths", hasKey("/api/zones/{zone}/sessions"))
                .body("paths.'/api/zones/{zone}/sessions/{id}'", hasKey("delete"))
                .body("paths", hasKey("/api/stats"))
                .body("components.schemas", hasKey("ZoneView"))
                .body("components.schemas", hasKey("SessionInfo"))
                .body("components.schemas", hasKey("ApiError"))
                // The settings' schemas come from the descriptors (SettingsSchemas), every field in each.
                .body("components.schemas.ZoneView.properties.websockets.$ref", equalTo("#/components/schemas/WebSocketsView"))
                .body("components.schemas.WebSocketsView.properties.keySet()", hasItems(SettingsPatch.FIELDS.toArray(String[]::new)))
                .body("components.schemas.WebSocketsView.properties.size()", equalTo(SettingsPatch.FIELDS.size()))
                .body("components.schemas.ZonePatch.properties.websockets.$ref", equalTo("#/components/schemas/WebSocketsFields"))
                .body("components.schemas.WebSocketsFields.properties.keySet()", hasItems(SettingsPatch.FIELDS.toArray(String[]::new)))
                .body("components.schemas.WebSocketsFields.properties.maxIdle.type", equalTo("number"))
                .body("components.schemas.WebSocketsFields.properties.maxFragments.type", equalTo("integer"))
                .body("components.schemas.WebSocketsFields.properties.maxFragments.minimum", equalTo(1))
                .body("components.schemas.WebSocketsFields.properties.allowedOrigins.items.type", equalTo("string"))
                .body("components.schemas.ZonePatch.properties.origin.$ref", equalTo("#/components/schemas/OriginPatch"))
                .body("components.schemas.OriginPatch.properties.url.type", hasItems("string"));
    }
}
