package dev.edgesocket.bench;

import java.io.DataInputStream;
import java.io.IOException;

/** What the raw-socket modes share of RFC 6455 framing. */
final class Frames {

    private Frames() {
    }

    /** The payload length of a server frame (unmasked) whose second byte was {@code b1}: reads the extended length. */
    static long payloadLength(DataInputStream in, int b1) throws IOException {
        long len = b1 & 0x7F;
        if (len == 126) {
            return in.readUnsignedShort();
        }
        return len == 127 ? in.readLong() : len;
    }
}
