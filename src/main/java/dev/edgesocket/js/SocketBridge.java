package dev.edgesocket.js;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

import org.graalvm.polyglot.Value;

import dev.edgesocket.api.EventType;
import dev.edgesocket.api.WebSocket;
import io.netty.channel.EventLoop;

/**
 * The Java half of the script's {@code WebSocket}: what its methods do to the server's socket, and the socket's
 * events raised in the script's context. A refusal comes back as the sentence the runtime throws as a
 * DOMException; other exceptions reach the script as they are.
 */
final class SocketBridge {

    /** {@code null} for the context that checks the script at start. */
    private final EventLoop loop;
    private final Callbacks callbacks;
    private final Natives.Entries entries;

    SocketBridge(EventLoop loop, Callbacks callbacks, Natives.Entries entries) {
        this.loop = loop;
        this.callbacks = callbacks;
        this.entries = entries;
    }

    /** null when sent; else why not (the socket is not open). */
    String sendText(WebSocket socket, String text) {
        try {
            socket.send(text);
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** null when sent; else why not (the socket is not open). */
    String sendBinary(WebSocket socket, byte[] bytes) {
        try {
            socket.send(bytes);
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** A negative code closes without one; null when closing, else why the code or reason is refused. */
    String close(WebSocket socket, int code, String reason) {
        try {
            if (code < 0) {
                socket.close();
            } else {
                socket.close(code, reason);
            }
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** Raises the socket's events on {@code js}, the script's WebSocket object. */
    void bind(WebSocket socket, Value js) {
        Value dispatch = entries.socketEvent();
        socket.addEventListener(EventType.OPEN, e -> event(socket, () -> dispatch.execute(js, "open")));
        socket.addEventListener(EventType.MESSAGE, e -> {
            Object data = e.data() instanceof String s ? s : ByteBuffer.wrap((byte[]) e.data());
            event(socket, () -> dispatch.execute(js, "message", data, e.origin()));
        });
        socket.addEventListener(EventType.ERROR, e -> event(socket, () -> dispatch.execute(js, "error", e.message())));
        socket.addEventListener(EventType.CLOSE,
                e -> event(socket, () -> dispatch.execute(js, "close", e.code(), e.reason(), e.wasClean())));
        socket.addEventListener(EventType.DRAIN, e -> event(socket, () -> dispatch.execute(js, "drain")));
    }

    /** Runs a socket's event in the context, on the context's loop (where the zone's dispatch puts it anyway). */
    private void event(WebSocket socket, Supplier<Value> call) {
        if (loop != null && !loop.inEventLoop()) {
            loop.execute(() -> event(socket, call));
            return;
        }
        if (!callbacks.closed()) {
            callbacks.enter(socket, call);
        }
    }
}
