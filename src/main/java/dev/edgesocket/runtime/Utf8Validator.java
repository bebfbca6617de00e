package dev.edgesocket.runtime;

import io.netty.buffer.ByteBuf;

/**
 * Checks UTF-8 as bytes arrive, so an invalid text message fails at its first invalid byte rather than
 * when the frame or message is complete (RFC 6455 8.1, "fail fast"). Accepts exactly the well-formed
 * sequences of Unicode 15 table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF.
 * Not thread-safe: one per connection, on its event loop.
 */
final class Utf8Validator {

    private static final long ASCII_MASK = 0x8080808080808080L;

    /** Continuation bytes still expected by the sequence in progress. */
    private int remaining;
    /** The range the next continuation byte must fall in (narrower right after E0, ED, F0 and F4). */
    private int lower = 0x80;
    private int upper = 0xBF;

    /** Checks {@code length} bytes of {@code buf} from {@code index}; false at the first invalid byte. */
    boolean update(ByteBuf buf, int index, int length) {
        int i = index;
        int end = index + length;
        while (i < end) {
            if (remaining == 0) {
                // Fast path: eight ASCII bytes at a time.
                while (i + 8 <= end && (buf.getLong(i) & ASCII_MASK) == 0) {
                    i += 8;
                }
                if (i == end) {
                    break;
                }
                int b = buf.getByte(i++) & 0xFF;
                if (b < 0x80) {
                    continue;
                }
                if (!lead(b)) {
                    return false;
                }
            } else {
                int b = buf.getByte(i++) & 0xFF;
                if (b < lower || b > upper) {
                    return false;
                }
                lower = 0x80;
                upper = 0xBF;
                remaining--;
            }
        }
        return true;
    }

    private boolean lead(int b) {
        if (b >= 0xC2 && b <= 0xDF) {
            remaining = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            remaining = 2;
            lower = b == 0xE0 ? 0xA0 : 0x80; // E0: no overlong forms
            upper = b == 0xED ? 0x9F : 0xBF; // ED: no surrogates
        } else if (b >= 0xF0 && b <= 0xF4) {
            remaining = 3;
            lower = b == 0xF0 ? 0x90 : 0x80; // F0: no overlong forms
            upper = b == 0xF4 ? 0x8F : 0xBF; // F4: nothing above U+10FFFF
        } else {
            return false; // 80-C1 and F5-FF never start a sequence
        }
        return true;
    }

    /** True when no sequence is left open: the message may end here. */
    boolean complete() {
        return remaining == 0;
    }

    void reset() {
        remaining = 0;
        lower = 0x80;
        upper = 0xBF;
    }
}
