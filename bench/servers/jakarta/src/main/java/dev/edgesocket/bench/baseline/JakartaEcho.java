package dev.edgesocket.bench.baseline;

import java.nio.ByteBuffer;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

/** The plain Jakarta endpoint a Java team already knows: text gets "Echo: ", binary comes back as is. */
@ServerEndpoint("/echo")
public class JakartaEcho {

    @OnMessage
    public String onText(String message) {
        return "Echo: " + message;
    }

    @OnMessage
    public ByteBuffer onBinary(ByteBuffer message) {
        return message;
    }
}
