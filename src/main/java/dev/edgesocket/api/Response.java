package dev.edgesocket.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An HTTP response a script returns. Immutable: the {@code with...} methods return a copy.
 * <pre>{@code return Response.text(401, "A token is required.").withHeader("WWW-Authenticate", "Bearer");}</pre>
 */
public final class Response {

    private static final byte[] NO_BODY = new byte[0];

    /**
     * A body that is not held here but streams from elsewhere to the client: the body of the zone's origin's
     * response, or the origin's socket of a forwarded WebSocket upgrade. Opaque to scripts; the server writes it.
     */
    public interface Streamed {
    }

    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final Streamed streamed;

    private Response(int status, List<Map.Entry<String, String>> headers, byte[] body, Streamed streamed) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("An HTTP status is between 100 and 599, got " + status + ".");
        }
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.streamed = streamed;
    }

    private Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {
        this(status, headers, body, null);
    }

    /**
     * A response whose body streams from elsewhere (what {@link Request#forwardToOrigin()} completes with). Its
     * status and headers may be changed with the {@code with...} methods; its body passes through unread.
     */
    public static Response streamed(int status, List<Map.Entry<String, String>> headers, Streamed body) {
        for (Map.Entry<String, String> header : headers) {
            checkHeader(header.getKey(), header.getValue());
        }
        return new Response(status, List.copyOf(headers), NO_BODY, java.util.Objects.requireNonNull(body));
    }

    /** A response with a status and no body. */
    public static Response status(int status) {
        return new Response(status, List.of(), NO_BODY);
    }

    /** A plain-text (UTF-8) response. */
    public static Response text(int status, String body) {
        return new Response(status, List.of(Map.entry("Content-Type", "text/plain; charset=utf-8")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** A response with a copy of {@code body} and the given content type. */
    public static Response bytes(int status, byte[] body, String contentType) {
        return new Response(status, List.of(Map.entry("Content-Type", contentType)), body.clone());
    }

    /**
     * Adds a header line (several lines of one name are kept). On the response of {@code upgradeWebSocket()}
     * the added headers go into the handshake's 101 (say {@code Set-Cookie}); the handshake's own headers
     * ({@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-*}) stay the server's.
     *
     * @throws IllegalArgumentException when the name is not an HTTP token or the value holds CR, LF or another
     *                                  control character (RFC 9110, section 5)
     */
    public Response withHeader(String name, String value) {
        checkHeader(name, value);
        List<Map.Entry<String, String>> copy = new ArrayList<>(headers.size() + 1);
        copy.addAll(headers);
        copy.add(Map.entry(name, value));
        return new Response(status, Collections.unmodifiableList(copy), body, streamed);
    }

    /** Removes every line of a header (the name is case-insensitive). */
    public Response withoutHeader(String name) {
        List<Map.Entry<String, String>> copy = new ArrayList<>(headers);
        copy.removeIf(header -> header.getKey().equalsIgnoreCase(name));
        return new Response(status, Collections.unmodifiableList(copy), body, streamed);
    }

    private static void checkHeader(String name, String value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("A header name must not be empty.");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("The header name '" + printable(name)
                        + "' is not an HTTP token: use letters, digits and !#$%&'*+-.^_`|~ only.");
            }
        }
        if (value == null) {
            throw new IllegalArgumentException("The value of header '" + name + "' must not be null.");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                throw new IllegalArgumentException("The value of header '" + name
                        + "' holds a control character (CR, LF or another), which would break the response.");
            }
        }
    }

    private static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    public Response withStatus(int newStatus) {
        return new Response(newStatus, headers, body, streamed);
    }

    /** A copy with this text as its body (in place of a streamed one, which is then let go). */
    public Response withBody(String text) {
        List<Map.Entry<String, String>> kept = new ArrayList<>(headers);
        if (streamed != null) {
            // The streamed body's length and encoding were the origin's, not this text's.
            kept.removeIf(h -> h.getKey().equalsIgnoreCase("Content-Length") || h.getKey().equalsIgnoreCase("Content-Encoding"));
        }
        return new Response(status, Collections.unmodifiableList(kept), text.getBytes(StandardCharsets.UTF_8), null);
    }

    /** The body that streams through this response, or {@code null} for a body held here. */
    public Streamed streamedBody() {
        return streamed;
    }

    public int status() {
        return status;
    }

    /** Header lines in the order they were added. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /**
     * A copy of the body.
     *
     * @throws IllegalStateException for a body that streams through ({@link #streamedBody()}), which is not here
     */
    public byte[] body() {
        return held().clone();
    }

    /** The body decoded as UTF-8; throws as {@link #body()} does. */
    public String bodyText() {
        return new String(held(), StandardCharsets.UTF_8);
    }

    private byte[] held() {
        if (streamed != null) {
            throw new IllegalStateException("This response's body streams from the origin to the client and is not "
                    + "held here: change its status and headers, or replace it with withBody().");
        }
        return body;
    }

    @Override
    public String toString() {
        return "Response[" + status + ", " + (streamed != null ? "streamed" : body.length + " bytes") + "]";
    }
}
