package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Node's {@code ws} client against the packaged server: echo, binary, fragments, close codes, 1009, 426; against
 * the Java echo zone and the TypeScript one (scripts/echo.ts on GraalJS).
 */
@QuarkusIntegrationTest
@TestProfile(ExamplesOn.class)
class NodeInteropIT {

    @TestHTTPResource("/")
    URI base;

    @Test
    void nodeWsClientInteroperates() throws Exception {
        ExternalClients.requireOrSkip("node");
        ExternalClients.requireOrSkip("npm");
        Path project = ExternalClients.npmProject("node");
        for (String zone : List.of("/echo", "/echo-ts")) {
            String output = ExternalClients.run(project, 120, "node", "interop.mjs", base.toString(), zone);
            assertTrue(output.contains(" passed, 0 failed"), zone + ":\n" + output);
        }
        // Nothing a well-behaved client does may page an operator: no ERROR in the server's log.
        Path log = Path.of("target/quarkus.log");
        if (Files.exists(log)) {
            List<String> errors = Files.readAllLines(log).stream().filter(l -> l.contains("\"level\":\"ERROR\"")).toList();
            assertTrue(errors.isEmpty(), "the server logged ERROR lines:\n" + String.join("\n", errors));
        }
    }
}
