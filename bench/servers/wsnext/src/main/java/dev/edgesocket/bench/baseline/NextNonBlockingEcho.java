package dev.edgesocket.bench.baseline;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

/** The same echo with {@code @NonBlocking}: the callbacks run on the event loop, like edgesocket's event-loop dispatch. */
@WebSocket(path = "/echo-nonblocking")
public class NextNonBlockingEcho {

    @NonBlocking
    @OnTextMessage
    public String onText(String message) {
        return "Echo: " + message;
    }

    @NonBlocking
    @OnBinaryMessage
    public Buffer onBinary(Buffer message) {
        return message;
    }
}
