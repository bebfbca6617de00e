package dev.edgesocket.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** An immutable run of bytes with a media type, like the web's {@code Blob}; sent as a binary frame. */
public final class Blob {

    private final byte[] bytes;
    private final String type;

    private Blob(byte[] bytes, String type) {
        this.bytes = bytes;
        this.type = type;
    }

    /** A blob of a copy of {@code bytes}; {@code type} may be {@code ""}. */
    public static Blob of(byte[] bytes, String type) {
        return new Blob(bytes.clone(), Objects.requireNonNull(type, "type"));
    }

    public static Blob of(byte[] bytes) {
        return of(bytes, "");
    }

    /** A blob of the UTF-8 bytes of {@code text}. */
    public static Blob ofText(String text, String type) {
        return new Blob(text.getBytes(StandardCharsets.UTF_8), Objects.requireNonNull(type, "type"));
    }

    public int size() {
        return bytes.length;
    }

    /** The media type, lower case, or {@code ""}. */
    public String type() {
        return type;
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes decoded as UTF-8. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Blob other && type.equals(other.type) && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(bytes) + type.hashCode();
    }

    @Override
    public String toString() {
        return "Blob[size=" + bytes.length + ", type=" + type + "]";
    }
}
