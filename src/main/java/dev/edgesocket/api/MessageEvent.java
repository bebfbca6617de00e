package dev.edgesocket.api;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A whole message from the client.
 *
 * @param data        a {@link String} for a text message, a {@code byte[]} for a binary one
 * @param origin      the origin of the socket's URL ({@code ws://host:port}), as a browser reports it
 * @param lastEventId always {@code ""} for WebSockets
 * @param source      always {@code null} for WebSockets
 * @param ports       always empty for WebSockets
 * @param target      the socket that received it
 */
public record MessageEvent(Object data, String origin, String lastEventId, Object source, List<Object> ports,
        WebSocket target) implements Event {

    @Override
    public String type() {
        return "message";
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
