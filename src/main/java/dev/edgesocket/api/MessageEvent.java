package dev.edgesocket.api;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A whole message from the client, or a message posted on a {@link BroadcastChannel}.
 *
 * @param data        a {@link String} for a text message, a {@code byte[]} for a binary one
 * @param origin      the origin of the socket's URL ({@code ws://host:port}), as a browser reports it; {@code ""} for a channel
 * @param lastEventId always {@code ""} for WebSockets
 * @param source      always {@code null} for WebSockets
 * @param ports       always empty for WebSockets
 * @param target      the socket that received it, or the {@link BroadcastChannel} for a channel's message
 */
public record MessageEvent(Object data, String origin, String lastEventId, Object source, List<Object> ports,
        EventTarget target) implements Event {

    @Override
    public String type() {
        return "message";
    }

    /** The socket that received the message; throws for a channel's message. */
    public WebSocket socket() {
        if (target instanceof WebSocket socket) {
            return socket;
        }
        throw new IllegalStateException("This message came from BroadcastChannel '" + ((BroadcastChannel) target).name()
                + "', not from a socket.");
    }

    /** True for a text message. */
    public boolean isText() {
        return data instanceof String;
    }

    /** The text of a text message; a binary message decoded as UTF-8. */
    public String text() {
        return data instanceof String s ? s : new String((byte[]) data, StandardCharsets.UTF_8);
    }

    /** The bytes of a binary message; a text message encoded as UTF-8. */
    public byte[] bytes() {
        return data instanceof byte[] b ? b : ((String) data).getBytes(StandardCharsets.UTF_8);
    }
}
