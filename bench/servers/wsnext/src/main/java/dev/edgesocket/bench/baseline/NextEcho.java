package dev.edgesocket.bench.baseline;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.vertx.core.buffer.Buffer;

/**
 * websockets-next as users write it by default: plain (non-reactive) return types, which the extension
 * treats as blocking and runs on worker threads.
 */
@WebSocket(path = "/echo")
public class NextEcho {

    @OnTextMessage
    public String onText(String message) {
        return "Echo: " + message;
    }

    @OnBinaryMessage
    public Buffer onBinary(Buffer message) {
        return message;
    }
}
