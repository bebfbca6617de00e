package dev.edgesocket.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import dev.edgesocket.testing.Fuzz;
import dev.edgesocket.testing.Fuzz.Draw;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * {@link Utf8Validator} against the JDK's strict UTF-8 decoder (malformed input reported, not replaced), for
 * arbitrary bytes fed in arbitrary chunks, as they arrive from the network.
 */
class Utf8ValidatorProperties {

    /** Bytes and where the network split them. */
    record Input(byte[] bytes, int[] cuts) {
        @Override
        public String toString() {
            return Fuzz.hex(bytes) + " cut at " + Arrays.toString(cuts);
        }
    }

    /** Half mostly-valid text with a defect somewhere inside, half bytes from a palette of the deciding ones. */
    static final Gen<Input> INPUTS = Fuzz.gen(d -> {
        byte[] bytes = d.bool() ? nearlyValid(d) : d.bytes(d.between(0, 40), Draw::interestingByte);
        return new Input(bytes, d.cuts(bytes.length, 6));
    });

    /** Valid UTF-8 of random code points (with ASCII runs for the 8-byte fast path), then maybe one byte changed. */
    static byte[] nearlyValid(Draw d) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces = d.between(0, 8);
        for (int i = 0; i < pieces; i++) {
            if (d.bool()) {
                out.writeBytes("abcdefghijklmnopqrstuvwxyz".substring(0, d.between(1, 20)).getBytes(StandardCharsets.US_ASCII));
            } else {
                out.writeBytes(Character.toString(codePoint(d)).getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length > 0 && d.bool()) {
            int at = d.between(0, bytes.length - 1);
            switch (d.between(0, 2)) {
                case 0 -> bytes[at] = (byte) d.interestingByte();
                case 1 -> bytes = Arrays.copyOf(bytes, at); // truncated
                default -> {
                    byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = (byte) d.interestingByte();
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    bytes = longer;
                }
            }
        }
        return bytes;
    }

    /** A Unicode scalar value, often at the edge of an encoding length or of the surrogates. */
    static int codePoint(Draw d) {
        if (d.bool()) {
            return d.pick(0x00, 0x7F, 0x80, 0x7FF, 0x800, 0xFFF, 0x1000, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x3FFFF,
                    0x40000, 0xFFFFF, 0x100000, 0x10FFFF);
        }
        int cp = d.between(0, 0x10FFFF);
        return cp >= 0xD800 && cp <= 0xDFFF ? cp - 0x800 : cp;
    }

    @Test
    void agreesWithTheJdkDecoderWhateverTheChunks() {
        Fuzz.qt(1000).forAll(INPUTS).checkAssert(input -> {
            Utf8Validator validator = new Utf8Validator();
            boolean accepted = true;
            for (byte[] chunk : Fuzz.chunks(input.bytes(), input.cuts())) {
                accepted = feed(validator, chunk);
                if (!accepted) {
                    break;
                }
            }
            assertEquals(jdkAccepts(input.bytes()), accepted && validator.complete());
        });
    }

    /**
     * Fail fast (RFC 6455 8.1): the chunk that fails is the one holding the first byte after which no continuation
     * could make the text valid, and no chunk before it fails.
     */
    @Test
    void failsInTheChunkOfTheFirstInvalidByte() {
        Fuzz.qt(1000).forAll(INPUTS).checkAssert(input -> {
            int firstBad = firstBadByte(input.bytes());
            Utf8Validator validator = new Utf8Validator();
            int from = 0;
            for (byte[] chunk : Fuzz.chunks(input.bytes(), input.cuts())) {
                boolean ok = feed(validator, chunk);
                boolean holdsFirstBad = firstBad >= from && firstBad < from + chunk.length;
                assertEquals(!holdsFirstBad, ok, "chunk from byte " + from + ", first invalid byte " + firstBad);
                if (!ok) {
                    return;
                }
                from += chunk.length;
            }
            assertEquals(-1, firstBad);
        });
    }

    /** A text that ends inside a sequence is not complete; the rest of the sequence completes it. */
    @Test
    void completeOnlyOnACodePointBoundary() {
        Gen<Object[]> texts = Fuzz.gen(d -> {
            StringBuilder sb = new StringBuilder();
            int n = d.between(1, 6);
            for (int i = 0; i < n; i++) {
                sb.appendCodePoint(codePoint(d));
            }
            byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
            return new Object[] {bytes, d.between(0, bytes.length)};
        });
        Fuzz.qt(500).forAll(texts).describedAs(t -> Fuzz.hex((byte[]) t[0]) + " cut at " + t[1]).checkAssert(t -> {
            byte[] bytes = (byte[]) t[0];
            int cut = (int) t[1];
            Utf8Validator validator = new Utf8Validator();
            assertTrue(feed(validator, Arrays.copyOfRange(bytes, 0, cut)));
            // In well-formed UTF-8 a sequence is cut in its middle exactly when the next byte is a continuation byte.
            boolean midSequence = cut < bytes.length && (bytes[cut] & 0xC0) == 0x80;
            assertEquals(!midSequence, validator.complete());
            assertTrue(feed(validator, Arrays.copyOfRange(bytes, cut, bytes.length)));
            assertTrue(validator.complete());
        });
    }

    /**
     * Unicode's definition, independent of the JDK: a code point encoded with {@code length} bytes is well-formed
     * only in its shortest form (no overlongs), when it is not a surrogate, and up to U+10FFFF.
     */
    @Test
    void acceptsExactlyShortestFormsOfScalarValues() {
        Gen<int[]> encodings = Fuzz.gen(d -> {
            int length = d.between(1, 4);
            int max = new int[] {0, 0x7F, 0x7FF, 0xFFFF, 0x1FFFFF}[length];
            int cp = d.bool() ? d.between(0, max)
                    : d.pick(0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFF, 0x10000,
                            0x10FFFF, 0x110000, 0x1FFFFF);
            return new int[] {Math.min(cp, max), length};
        });
        Fuzz.qt(1000).forAll(encodings).describedAs(e -> "U+" + Integer.toHexString(e[0]) + " in " + e[1] + " bytes")
                .checkAssert(e -> {
                    int cp = e[0];
                    int length = e[1];
                    byte[] bytes = encode(cp, length);
                    int shortest = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
                    boolean scalar = cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
                    boolean wellFormed = scalar && length == shortest;
                    Utf8Validator validator = new Utf8Validator();
                    assertEquals(wellFormed, feed(validator, bytes) && validator.complete(), Fuzz.hex(bytes));
                    assertEquals(wellFormed, jdkAccepts(bytes), "the JDK agrees");
                });
    }

    /** After reset, what came before does not matter: the validator answers for the new text alone. */
    @Test
    void resetForgetsTheMessageBefore() {
        Fuzz.qt(300).forAll(INPUTS, INPUTS).checkAssert((before, after) -> {
            Utf8Validator validator = new Utf8Validator();
            feed(validator, before.bytes());
            validator.reset();
            assertEquals(jdkAccepts(after.bytes()), feed(validator, after.bytes()) && validator.complete());
        });
    }

    @Test
    void knownIllFormedSequences() {
        // Table 3-7's edges, one each: overlongs, surrogates, above U+10FFFF, lone and truncated sequences.
        for (int[] seq : List.of(new int[] {0xC0, 0x80}, new int[] {0xC1, 0xBF}, new int[] {0xE0, 0x9F, 0xBF},
                new int[] {0xF0, 0x8F, 0xBF, 0xBF}, new int[] {0xED, 0xA0, 0x80}, new int[] {0xED, 0xBF, 0xBF},
                new int[] {0xF4, 0x90, 0x80, 0x80}, new int[] {0xF5, 0x80, 0x80, 0x80}, new int[] {0xFF},
                new int[] {0x80}, new int[] {0xE2, 0x82}, new int[] {0xF0, 0x9F, 0x98})) {
            byte[] bytes = new byte[seq.length];
            for (int i = 0; i < seq.length; i++) {
                bytes[i] = (byte) seq[i];
            }
            Utf8Validator validator = new Utf8Validator();
            assertFalse(feed(validator, bytes) && validator.complete(), Fuzz.hex(bytes));
        }
    }

    /**
     * Feeds one chunk the way the frame reader does: somewhere inside a larger buffer. The bytes around it are
     * 0xFF, which is never valid, so a validator that read outside its range would fail.
     */
    static boolean feed(Utf8Validator validator, byte[] chunk) {
        int before = chunk.length % 5;
        ByteBuf buf = Unpooled.buffer(before + chunk.length + 11);
        buf.writeBytes(new byte[before + chunk.length + 11]);
        for (int i = 0; i < buf.capacity(); i++) {
            buf.setByte(i, 0xFF);
        }
        buf.setBytes(before, chunk);
        try {
            return validator.update(buf, before, chunk.length);
        } finally {
            buf.release();
        }
    }

    static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * The index of the first byte after which the text can no longer become valid, or -1. A prefix can still
     * become valid when some continuation of at most three bytes makes the JDK accept it; trying 0x80, 0x90 and
     * 0xA0 for each is enough, since every range a continuation byte may be restricted to (80-BF, A0-BF, 80-9F,
     * 90-BF, 80-8F) holds one of them. Becoming invalid is final, so a binary search finds the first such byte.
     */
    static int firstBadByte(byte[] bytes) {
        if (extensible(bytes, bytes.length)) {
            return -1;
        }
        int lo = 0; // prefix of lo bytes is extensible
        int hi = bytes.length; // prefix of hi bytes is not
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (extensible(bytes, mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi - 1;
    }

    private static boolean extensible(byte[] bytes, int prefix) {
        byte[] trial = Arrays.copyOf(bytes, prefix + 3);
        for (int extra = 0; extra <= 3; extra++) {
            if (extensibleWith(trial, prefix, extra, 0)) {
                return true;
            }
        }
        return false;
    }

    private static boolean extensibleWith(byte[] trial, int prefix, int extra, int filled) {
        if (filled == extra) {
            return jdkAccepts(Arrays.copyOf(trial, prefix + extra));
        }
        for (int b : new int[] {0x80, 0x90, 0xA0}) {
            trial[prefix + filled] = (byte) b;
            if (extensibleWith(trial, prefix, extra, filled + 1)) {
                return true;
            }
        }
        return false;
    }

    /** The UTF-8 bit pattern of {@code length} bytes for {@code cp}, whether or not that form is allowed. */
    static byte[] encode(int cp, int length) {
        return switch (length) {
            case 1 -> new byte[] {(byte) cp};
            case 2 -> new byte[] {(byte) (0xC0 | cp >> 6), (byte) (0x80 | cp & 0x3F)};
            case 3 -> new byte[] {(byte) (0xE0 | cp >> 12), (byte) (0x80 | cp >> 6 & 0x3F), (byte) (0x80 | cp & 0x3F)};
            case 4 -> new byte[] {(byte) (0xF0 | cp >> 18), (byte) (0x80 | cp >> 12 & 0x3F), (byte) (0x80 | cp >> 6 & 0x3F),
                    (byte) (0x80 | cp & 0x3F)};
            default -> {
                fail("length " + length);
                yield null;
            }
        };
    }
}
