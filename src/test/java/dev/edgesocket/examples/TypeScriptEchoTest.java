package dev.edgesocket.examples;

import io.quarkus.test.junit.QuarkusTest;

/** The echo zone's acceptance tests against Bunny's Quickstart as a TypeScript script (scripts/echo.ts). */
@QuarkusTest
class TypeScriptEchoTest extends EchoAcceptance {

    @Override
    String path() {
        return "/echo-ts";
    }
}
