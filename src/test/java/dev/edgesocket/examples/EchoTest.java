package dev.edgesocket.examples;

import io.quarkus.test.junit.QuarkusTest;

/** The Quickstart echo zone (examples/EchoScript.java), over real sockets. */
@QuarkusTest
class EchoTest extends EchoAcceptance {

    @Override
    String path() {
        return "/echo";
    }
}
