package dev.edgesocket.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * {@link Utf8Validator} by example, at the edges of Unicode's table 3-7 and of fragments: each case is a
 * sequence of fragments (as frames of one message arrive) and whether the message is valid UTF-8.
 * {@code Utf8ValidatorProperties} compares it with the JDK's decoder over generated input.
 */
class Utf8ValidatorTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** Feeds each fragment in turn; valid means every byte was accepted and no sequence is left open. */
    private static boolean valid(byte[]... fragments) {
        Utf8Validator validator = new Utf8Validator();
        for (byte[] fragment : fragments) {
            // Read at an offset inside a larger buffer, as the reader does with a frame's payload.
            ByteBuf buf = Unpooled.buffer(fragment.length + 6);
            buf.writeBytes(bytes(0xFF, 0xFF, 0xFF)).writeBytes(fragment).writeBytes(bytes(0xFF, 0xFF, 0xFF));
            try {
                if (!validator.update(buf, 3, fragment.length)) {
                    return false;
                }
            } finally {
                buf.release();
            }
        }
        return validator.complete();
    }

    @Test
    void asciiAndEachSequenceLengthPass() {
        assertTrue(valid("".getBytes(StandardCharsets.UTF_8)));
        assertTrue(valid("plain ASCII, long enough for the eight-byte path".getBytes(StandardCharsets.UTF_8)));
        assertTrue(valid("é€😀 mixed with ASCII: ñandú 日本".getBytes(StandardCharsets.UTF_8)));
        assertTrue(valid(bytes(0xC2, 0x80)), "U+0080, the first two-byte character");
        assertTrue(valid(bytes(0xDF, 0xBF)), "U+07FF");
        assertTrue(valid(bytes(0xE0, 0xA0, 0x80)), "U+0800, the first three-byte character");
        assertTrue(valid(bytes(0xED, 0x9F, 0xBF)), "U+D7FF, just below the surrogates");
        assertTrue(valid(bytes(0xEE, 0x80, 0x80)), "U+E000, just above them");
        assertTrue(valid(bytes(0xEF, 0xBF, 0xBF)), "U+FFFF");
        assertTrue(valid(bytes(0xF0, 0x90, 0x80, 0x80)), "U+10000, the first four-byte character");
        assertTrue(valid(bytes(0xF4, 0x8F, 0xBF, 0xBF)), "U+10FFFF, the highest code point");
    }

    @Test
    void overlongFormsFail() {
        assertFalse(valid(bytes(0xC0, 0xAF)), "'/' in two bytes");
        assertFalse(valid(bytes(0xC1, 0xBF)));
        assertFalse(valid(bytes(0xE0, 0x80, 0xAF)), "'/' in three bytes");
        assertFalse(valid(bytes(0xE0, 0x9F, 0xBF)), "U+07FF in three bytes");
        assertFalse(valid(bytes(0xF0, 0x80, 0x80, 0xAF)), "'/' in four bytes");
        assertFalse(valid(bytes(0xF0, 0x8F, 0xBF, 0xBF)), "U+FFFF in four bytes");
    }

    @Test
    void surrogatesFail() {
        assertFalse(valid(bytes(0xED, 0xA0, 0x80)), "U+D800");
        assertFalse(valid(bytes(0xED, 0xBF, 0xBF)), "U+DFFF");
        assertFalse(valid(bytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80)), "a surrogate pair, CESU-8 style");
    }

    @Test
    void nothingAboveTheHighestCodePoint() {
        assertFalse(valid(bytes(0xF4, 0x90, 0x80, 0x80)), "U+110000");
        assertFalse(valid(bytes(0xF5, 0x80, 0x80, 0x80)));
        assertFalse(valid(bytes(0xF8, 0x88, 0x80, 0x80, 0x80)), "five-byte forms are gone");
        assertFalse(valid(bytes(0xFF)));
        assertFalse(valid(bytes(0xFE)));
    }

    @Test
    void strayAndMissingContinuationBytesFail() {
        assertFalse(valid(bytes(0x80)), "a continuation byte with no lead");
        assertFalse(valid(bytes(0x41, 0xBF, 0x41)));
        assertFalse(valid(bytes(0xC3, 0x41)), "a lead byte followed by ASCII");
        assertFalse(valid(bytes(0xE2, 0x82, 0xE2, 0x82, 0xAC)), "a new lead before the sequence ended");
    }

    @Test
    void aSequenceMaySpanFragmentsButNotTheMessageEnd() {
        byte[] euro = bytes(0xE2, 0x82, 0xAC);
        assertTrue(valid(bytes(0xE2), bytes(0x82), bytes(0xAC)), "one byte per fragment");
        assertTrue(valid(bytes(0x61, 0xE2, 0x82), bytes(0xAC, 0x62)));
        assertTrue(valid(bytes(0xF0, 0x9F), bytes(), bytes(0x98, 0x80)), "an empty fragment in between");
        assertTrue(valid(bytes(0xF4), bytes(0x8F, 0xBF), bytes(0xBF)), "U+10FFFF over three fragments");
        assertFalse(valid(bytes(0x61, 0xE2, 0x82)), "the message ends inside a sequence");
        assertFalse(valid(euro, bytes(0xF0, 0x9F, 0x98)), "the last fragment ends inside a sequence");
        // The narrowed range after E0, ED, F0 and F4 holds across a fragment boundary too.
        assertFalse(valid(bytes(0xE0), bytes(0x80, 0xAF)), "overlong, split after the lead");
        assertFalse(valid(bytes(0xED), bytes(0xA0, 0x80)), "a surrogate, split after the lead");
        assertFalse(valid(bytes(0xF0), bytes(0x8F, 0xBF, 0xBF)), "overlong four bytes, split");
        assertFalse(valid(bytes(0xF4), bytes(0x90), bytes(0x80, 0x80)), "above U+10FFFF, split");
    }

    @Test
    void resetForgetsASequenceInProgress() {
        Utf8Validator validator = new Utf8Validator();
        ByteBuf lead = Unpooled.wrappedBuffer(bytes(0xF0, 0x9F));
        assertTrue(validator.update(lead, 0, 2));
        assertFalse(validator.complete());
        validator.reset();
        assertTrue(validator.complete(), "a new message starts clean");
        ByteBuf ascii = Unpooled.wrappedBuffer(bytes(0x41));
        assertTrue(validator.update(ascii, 0, 1));
        assertEquals(true, validator.complete());
    }
}
