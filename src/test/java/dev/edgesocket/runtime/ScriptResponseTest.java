package dev.edgesocket.runtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.EventJournal;
import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.RawClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** What a script returns, and the paths only the server may use: nothing a script or client does breaks the protocol. */
@QuarkusTest
class ScriptResponseTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    EventJournal journal;

    @Test
    void headersAddedToTheUpgradeResponseGoIntoTheHandshake() throws Exception {
        try (RawClient client = RawClient.open(base)) {
            RawClient.HttpAnswer answer = client.request("GET", "/lab?tag=cookie&respond=cookie",
                    RawClient.validHandshakeHeaders(base));
            assertEquals(101, answer.status());
            assertEquals("session=abc; HttpOnly", answer.header("Set-Cookie"));
            assertEquals("websocket", answer.header("Upgrade").toLowerCase(), "the handshake keeps its own Upgrade");
            // RFC 6455's sample key and its accept value.
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", answer.header("Sec-WebSocket-Accept"));
            journal.next("cookie"); // early send
            assertEquals("open OPEN", journal.next("cookie"));
            client.sendText("hi");
            assertEquals("Echo: hi", client.readFrame().text());
            client.sendClose(1000, "");
            Frame close = client.readUntilClose();
            assertEquals(1000, close.closeCode());
        }
        assertEquals("cookie socket closed 1000", journal.next("cookie"));
    }

    @Test
    void a101ThatIsNotTheUpgradeGets500WithASentence() {
        dev.edgesocket.testing.UnexpectedErrors.expect("with a 101 of its own"); // the script's bug, logged for its owner
        given().when().get("/lab?respond=bare-101").then().statusCode(500)
                .body(equalTo("The zone's script answered 101 without upgrading the request.\n"));
    }

    @Test
    void aHeaderValueWithCrLfIsRefusedWhenTheScriptAddsIt() {
        given().when().get("/lab?respond=crlf-header").then().statusCode(500)
                .body(equalTo("refused: The value of header 'X-Injected' holds a control character (CR, LF or another), "
                        + "which would break the response."));
    }

    @Test
    void everySpellingOfTheInternalUpgradePathGets404() throws Exception {
        for (String path : new String[] {"/_edgesocket/upgrade", "//_edgesocket/upgrade", "/_edgesocket//upgrade",
                "/_edgesocket/./upgrade", "/_edgesocket/%75pgrade", "/%5Fedgesocket/upgrade", "/x/../_edgesocket/upgrade",
                "/_edgesocket/upgrade/", "/_edgesocket/upgrade;a=b"}) {
            try (RawClient client = RawClient.open(base)) {
                RawClient.HttpAnswer answer = client.request("GET", path, RawClient.validHandshakeHeaders(base));
                assertEquals(404, answer.status(), path + " must not reach the upgrade endpoint");
                assertTrue(answer.body().startsWith("There is nothing at "), answer.body());
            }
        }
    }

    @Test
    void malformedQueryParametersOfTheApiGet400InTheApisFormat() {
        given().header("AccessKey", "test-key").when().get("/api/zones/echo/sessions?limit=abc").then().statusCode(400)
                .body("message", equalTo("limit must be a whole number from 1 to 1000, got 'abc'."));
        given().header("AccessKey", "test-key").contentType("application/json").body("{\"websockets\": {}}")
                .when().patch("/api/zones/echo?closeExisting=maybe").then().statusCode(400)
                .body("message", equalTo("closeExisting must be true or false, got 'maybe'. Nothing was changed."));
    }
}
