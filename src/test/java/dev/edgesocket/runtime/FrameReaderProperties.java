package dev.edgesocket.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import dev.edgesocket.testing.Fuzz;
import dev.edgesocket.testing.Fuzz.Draw;

/**
 * The read path of a socket, {@link FrameReader} and {@link MessageAssembler} (inflating and checking UTF-8 on the
 * way), driven through a real socket on an {@link io.netty.channel.embedded.EmbeddedChannel} ({@link SocketHarness}).
 * A small client-side frame encoder here writes random valid conversations (random masks, fragments, interleaved
 * control frames, compressed messages made with java.util.zip's raw deflate), cut at random TCP boundaries, and
 * broken ones whose outcome is known.
 */
class FrameReaderProperties {

    static final long MAX_MESSAGE = 1 << 20;
    static final int MAX_FRAGMENTS = 1000;
    static final PerMessageDeflate.Agreement TAKEOVER = PerMessageDeflate.negotiate(List.of("permessage-deflate"));
    static final PerMessageDeflate.Agreement NO_TAKEOVER = PerMessageDeflate.negotiate(
            List.of("permessage-deflate; client_no_context_takeover"));

    // ------------------------------------------------------------------------------------------ the client's encoder

    /** One frame as the client writes it: masked, with the shortest length form (RFC 6455 5.2). */
    static byte[] frame(boolean fin, boolean rsv1, int opcode, byte[] payload, int mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        int n = payload.length;
        if (n < 126) {
            out.write(0x80 | n);
        } else if (n < 65536) {
            out.write(0x80 | 126);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) n >> shift));
            }
        }
        byte[] key = {(byte) (mask >> 24), (byte) (mask >> 16), (byte) (mask >> 8), (byte) mask};
        out.writeBytes(key);
        for (int i = 0; i < n; i++) {
            out.write(payload[i] ^ key[i & 3]);
        }
        return out.toByteArray();
    }

    /** Raw deflate with a sync flush and its 00 00 FF FF tail removed (RFC 7692 7.2.1). */
    static byte[] compress(Deflater deflater, byte[] data) {
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        do {
            n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length);
        byte[] all = out.toByteArray();
        if (all.length < 4) {
            // zlib writes nothing for an empty first message; RFC 7692 7.2.3.6 sends it as one empty block, 0x00.
            return new byte[] {0};
        }
        return Arrays.copyOf(all, all.length - 4);
    }

    /** A message the script should get. */
    record Msg(boolean text, byte[] payload) {
        Object asDelivered() {
            return text ? new String(payload, StandardCharsets.UTF_8) : payload;
        }
    }

    /** One frame on the wire, and how many messages are complete once it has been read. */
    record Frame(byte[] bytes, boolean data, boolean first, int messagesDone) {
    }

    /** A conversation: the frames, where TCP cut them, what the script should get, and the pings sent. */
    record Wire(List<Frame> frames, int[] cuts, List<Msg> messages, List<byte[]> pings, PerMessageDeflate.Agreement deflate) {
        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            frames.forEach(f -> out.writeBytes(f.bytes()));
            return out.toByteArray();
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(deflate == null ? "plain" : deflate.response());
            for (Msg m : messages) {
                sb.append(m.text() ? " text[" : " binary[").append(m.payload().length).append(']');
            }
            sb.append(", ").append(frames.size()).append(" frames, cuts ").append(Arrays.toString(cuts));
            byte[] bytes = bytes();
            if (bytes.length <= 300) {
                sb.append(": ").append(Fuzz.hex(bytes));
            }
            return sb.toString();
        }
    }

    static byte[] payload(Draw d, boolean text) {
        int size = d.oneIn(25) ? d.between(126, 70_000) : d.between(0, 300);
        if (!text) {
            // Random bytes, or runs that compress well.
            return d.bool() ? d.bytes(Math.min(size, 400), Draw::interestingByte) : repeat(d, size);
        }
        StringBuilder sb = new StringBuilder();
        while (sb.length() < size / 2) {
            if (d.bool()) {
                sb.append("hello, world ".repeat(d.between(1, 8)));
            } else {
                sb.appendCodePoint(Utf8ValidatorProperties.codePoint(d));
            }
            if (size > 1000) {
                sb.append("x".repeat(size / 2));
            }
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] repeat(Draw d, int size) {
        byte[] b = new byte[size];
        int period = d.between(1, 5);
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i % period);
        }
        return b;
    }

    static Gen<Wire> wires(PerMessageDeflate.Agreement deflate) {
        return Fuzz.gen(d -> wire(d, deflate));
    }

    /** A random valid conversation, drawn inside any generator. */
    static Wire wire(Draw d, PerMessageDeflate.Agreement deflate) {
        {
            List<Frame> frames = new ArrayList<>();
            List<Msg> messages = new ArrayList<>();
            List<byte[]> pings = new ArrayList<>();
            Deflater context = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            try {
                int n = d.between(0, 5);
                for (int i = 0; i < n; i++) {
                    boolean text = d.bool();
                    Msg msg = new Msg(text, payload(d, text));
                    boolean compressed = deflate != null && !d.oneIn(4); // RFC 7692: per message, may go uncompressed
                    byte[] wire = msg.payload();
                    if (compressed) {
                        Deflater deflater = deflate.clientNoContextTakeover() ? new Deflater(Deflater.DEFAULT_COMPRESSION, true) : context;
                        wire = compress(deflater, msg.payload());
                        if (deflater != context) {
                            deflater.end();
                        }
                    }
                    int[] cuts = d.cuts(wire.length, 4);
                    List<byte[]> pieces = Fuzz.chunks(wire, cuts);
                    if (d.oneIn(6)) {
                        pieces.add(new byte[0]); // an empty final continuation frame
                    }
                    for (int p = 0; p < pieces.size(); p++) {
                        if (p > 0 && d.oneIn(4)) {
                            frames.add(control(d, pings, messages.size()));
                        }
                        boolean fin = p == pieces.size() - 1;
                        frames.add(new Frame(frame(fin, compressed && p == 0, p == 0 ? (text ? 1 : 2) : 0, pieces.get(p), mask(d)),
                                true, p == 0, messages.size() + (fin ? 1 : 0)));
                    }
                    messages.add(msg);
                    if (d.oneIn(4)) {
                        frames.add(control(d, pings, messages.size()));
                    }
                }
            } finally {
                context.end();
            }
            int total = frames.stream().mapToInt(f -> f.bytes().length).sum();
            return new Wire(frames, d.cuts(total, 20), messages, pings, deflate);
        }
    }

    static int mask(Draw d) {
        return d.oneIn(5) ? 0 : (int) d.longBetween(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    static Frame control(Draw d, List<byte[]> pings, int messagesDone) {
        byte[] payload = d.bytes(d.between(0, 125), Draw::interestingByte);
        boolean ping = d.bool();
        if (ping) {
            pings.add(payload);
        }
        return new Frame(frame(true, false, ping ? 0x9 : 0xA, payload, mask(d)), false, false, messagesDone);
    }

    static SocketHarness play(Wire wire, byte[] bytes) {
        SocketHarness h = new SocketHarness(MAX_MESSAGE, MAX_FRAGMENTS, wire.deflate());
        for (byte[] chunk : Fuzz.chunks(bytes, wire.cuts().length == 0 ? new int[0]
                : Arrays.stream(wire.cuts()).filter(c -> c < bytes.length).toArray())) {
            h.feed(chunk);
        }
        return h;
    }

    static void assertDelivered(List<Msg> expected, List<Object> delivered) {
        assertEquals(expected.size(), delivered.size(), "messages delivered");
        for (int i = 0; i < expected.size(); i++) {
            Object want = expected.get(i).asDelivered();
            if (want instanceof byte[] b) {
                assertArrayEquals(b, (byte[]) delivered.get(i), "message " + i);
            } else {
                assertEquals(want, delivered.get(i), "message " + i);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ properties

    /** Whatever the masks, fragments, control frames and TCP cuts, the script gets exactly the messages sent. */
    @Test
    void validConversationsArriveWhole() {
        Fuzz.qt(300).forAll(wires(null)).checkAssert(FrameReaderProperties::arrivesWhole);
    }

    /** The same with permessage-deflate, the client keeping its compression context across messages... */
    @Test
    void compressedConversationsInflateToTheBytesSent() {
        Fuzz.qt(300).forAll(wires(TAKEOVER)).checkAssert(FrameReaderProperties::arrivesWhole);
    }

    /** ...and compressing each message on its own (client_no_context_takeover). */
    @Test
    void compressedConversationsWithoutContextTakeover() {
        Fuzz.qt(200).forAll(wires(NO_TAKEOVER)).checkAssert(FrameReaderProperties::arrivesWhole);
    }

    static void arrivesWhole(Wire wire) {
        SocketHarness h = play(wire, wire.bytes());
        assertNull(h.closeCode, "no close frame");
        assertDelivered(wire.messages(), h.messages);
        // Every pong answers a ping that was sent, with its payload (RFC 6455 5.5.3; the latest may be all that is).
        for (byte[] pong : h.pongs) {
            assertTrue(wire.pings().stream().anyMatch(p -> Arrays.equals(p, pong)), "pong " + Fuzz.hex(pong));
        }
        assertTrue(wire.pings().isEmpty() == h.pongs.isEmpty(), "a ping gets a pong");
        h.finish();
    }

    /** A conversation cut short: the complete messages arrive, the rest waits, nothing is closed. */
    @Test
    void truncatedConversationsDeliverTheCompleteMessages() {
        Fuzz.qt(300).forAll(Fuzz.gen(d -> {
            Wire wire = wire(d, d.bool() ? null : TAKEOVER);
            byte[] bytes = wire.bytes();
            return new Object[] {wire, d.between(0, bytes.length)};
        })).describedAs(c -> c[0] + " truncated at " + c[1]).checkAssert(c -> {
            Wire wire = (Wire) c[0];
            int length = (int) c[1];
            byte[] bytes = Arrays.copyOf(wire.bytes(), length);
            int done = 0;
            int offset = 0;
            for (Frame f : wire.frames()) {
                offset += f.bytes().length;
                if (offset <= length) {
                    done = f.messagesDone();
                }
            }
            SocketHarness h = play(wire, bytes);
            assertNull(h.closeCode);
            assertDelivered(wire.messages().subList(0, done), h.messages);
            h.finish();
        });
    }

    /**
     * A compressed message of random bytes (or a valid one with bytes changed): the JDK's own raw inflater decides.
     * Where it inflates (and, for text, gives valid UTF-8) the script gets exactly its output; otherwise the socket
     * is closed with 1007 and the script gets nothing. Never an internal error.
     */
    @Test
    void garbageCompressedMessagesAreRejectedCleanly() {
        Gen<Object[]> cases = Fuzz.gen(d -> {
            boolean text = d.bool();
            byte[] data;
            if (d.bool()) {
                data = d.bytes(d.between(0, 200), Draw::interestingByte);
            } else {
                Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
                data = compress(deflater, payload(d, text));
                deflater.end();
                for (int k = d.between(1, 3); k > 0 && data.length > 0; k--) {
                    data[d.between(0, data.length - 1)] ^= (byte) (1 << d.between(0, 7));
                }
            }
            return new Object[] {text, data, d.cuts(data.length, 3), mask(d)};
        });
        Fuzz.qt(500).forAll(cases).describedAs(c -> (((boolean) c[0]) ? "text " : "binary ") + Fuzz.hex((byte[]) c[1])
                + " in frames cut at " + Arrays.toString((int[]) c[2])).checkAssert(c -> {
            boolean text = (boolean) c[0];
            byte[] data = (byte[]) c[1];
            List<byte[]> pieces = Fuzz.chunks(data, (int[]) c[2]);
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            for (int p = 0; p < pieces.size(); p++) {
                wire.writeBytes(frame(p == pieces.size() - 1, p == 0, p == 0 ? (text ? 1 : 2) : 0, pieces.get(p), (int) c[3]));
            }
            byte[] inflated = jdkInflate(data);
            boolean ok = inflated != null && inflated.length <= MAX_MESSAGE && (!text || Utf8ValidatorProperties.jdkAccepts(inflated));
            SocketHarness h = new SocketHarness(MAX_MESSAGE, MAX_FRAGMENTS, TAKEOVER);
            h.feed(wire.toByteArray());
            if (ok) {
                assertNull(h.closeCode);
                assertDelivered(List.of(new Msg(text, inflated)), h.messages);
            } else {
                assertEquals(List.of(), h.messages);
                assertEquals(inflated != null && inflated.length > MAX_MESSAGE ? 1009 : 1007, h.closeCode);
            }
            h.finish();
        });
    }

    /** What java.util.zip makes of a message's bytes with the tail put back; null when they are not deflate data. */
    static byte[] jdkInflate(byte[] data) {
        Inflater inflater = new Inflater(true);
        try {
            byte[] input = Arrays.copyOf(data, data.length + 4);
            input[data.length + 2] = (byte) 0xFF;
            input[data.length + 3] = (byte) 0xFF;
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (out.size() <= MAX_MESSAGE) {
                int n = inflater.inflate(buf);
                out.write(buf, 0, n);
                if (n == 0 && (inflater.needsInput() || inflater.finished() || inflater.needsDictionary())) {
                    break;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    /** Ways a client breaks RFC 6455 in one frame's header, each a protocol error (1002). */
    enum Breakage {
        UNMASKED, RSV2, RSV3, RSV1_WITHOUT_DEFLATE, RESERVED_DATA_OPCODE, RESERVED_CONTROL_OPCODE, FRAGMENTED_PING,
        LONG_PING, CONTINUATION_FIRST, NEW_MESSAGE_INSIDE_ONE
    }

    /**
     * A valid conversation with one frame broken: the messages complete before that frame arrive, then the close
     * frame with 1002, and nothing after it, however TCP cut the bytes.
     */
    @Test
    void aBrokenFrameClosesWith1002AfterTheMessagesBeforeIt() {
        Gen<Object[]> cases = Fuzz.gen(d -> {
            Wire wire = wire(d, null);
            return new Object[] {wire, d.pick(Breakage.values()), d.between(0, wire.frames().size()), mask(d)};
        });
        Fuzz.qt(500).forAll(cases).describedAs(c -> c[1] + " at frame " + c[2] + " of " + c[0]).checkAssert(c -> {
            Wire wire = (Wire) c[0];
            Breakage breakage = (Breakage) c[1];
            int at = (int) c[2];
            List<Frame> frames = new ArrayList<>(wire.frames());
            // Where a message is in progress, a frame that starts one is itself the breakage.
            boolean inMessage = at < frames.size() && frames.get(at).data() && !frames.get(at).first()
                    || at > 0 && at < frames.size() && !frames.get(at).data() && frames.stream().limit(at)
                            .filter(Frame::data).reduce((a, b) -> b).map(f -> (f.bytes()[0] & 0x80) == 0).orElse(false);
            int done = at == 0 ? 0 : frames.get(at - 1).messagesDone();
            byte[] broken = switch (breakage) {
                case UNMASKED -> unmasked(frames, at);
                case RSV2 -> withHeaderBits(frames, at, 0x20);
                case RSV3 -> withHeaderBits(frames, at, 0x10);
                case RSV1_WITHOUT_DEFLATE -> withHeaderBits(frames, at, 0x40);
                case RESERVED_DATA_OPCODE -> frame(true, false, 3 + at % 5, new byte[] {1, 2}, (int) c[3]);
                case RESERVED_CONTROL_OPCODE -> frame(true, false, 0xB + at % 5, new byte[0], (int) c[3]);
                case FRAGMENTED_PING -> frame(false, false, 0x9, new byte[] {7}, (int) c[3]);
                case LONG_PING -> frame(true, false, 0x9, new byte[126], (int) c[3]);
                case CONTINUATION_FIRST -> inMessage ? null : frame(true, false, 0, new byte[] {0x41}, (int) c[3]);
                case NEW_MESSAGE_INSIDE_ONE -> inMessage ? frame(true, false, 1, new byte[] {0x41}, (int) c[3]) : null;
            };
            if (broken == null) {
                return; // this breakage needs another place in the conversation
            }
            if (breakage.ordinal() <= Breakage.RSV1_WITHOUT_DEFLATE.ordinal() && at < frames.size()) {
                frames.set(at, new Frame(broken, false, false, done));
            } else {
                frames.add(Math.min(at, frames.size()), new Frame(broken, false, false, done));
            }
            Wire bad = new Wire(frames, wire.cuts(), wire.messages(), wire.pings(), null);
            SocketHarness h = play(bad, bad.bytes());
            assertEquals(1002, h.closeCode);
            assertDelivered(wire.messages().subList(0, done), h.messages);
            assertEquals(0, h.messagesAfterClose);
            h.finish();
        });
    }

    private static byte[] unmasked(List<Frame> frames, int at) {
        if (at >= frames.size()) {
            return new byte[] {(byte) 0x89, 0}; // an unmasked empty ping
        }
        byte[] f = frames.get(at).bytes();
        int length7 = f[1] & 0x7F;
        int header = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0);
        byte[] key = Arrays.copyOfRange(f, header, header + 4);
        byte[] out = new byte[f.length - 4];
        System.arraycopy(f, 0, out, 0, header);
        out[1] &= 0x7F;
        for (int i = header + 4; i < f.length; i++) {
            out[i - 4] = (byte) (f[i] ^ key[(i - header - 4) & 3]);
        }
        return out;
    }

    private static byte[] withHeaderBits(List<Frame> frames, int at, int bits) {
        byte[] f = at < frames.size() ? frames.get(at).bytes().clone() : frame(true, false, 0xA, new byte[0], 0);
        f[0] |= (byte) bits;
        return f;
    }

    /**
     * Random bytes, or a conversation with bytes changed: never an exception in the pipeline nor an internal error
     * (1011), nothing delivered after the close frame, nothing beyond max-message-size.
     */
    @Test
    void mutatedBytesNeverBreakTheReader() {
        Gen<Object[]> cases = Fuzz.gen(d -> {
            Wire wire = wire(d, d.bool() ? null : TAKEOVER);
            byte[] bytes = d.oneIn(4) ? d.bytes(d.between(0, 300), Draw::interestingByte) : wire.bytes();
            for (int k = d.between(0, 4); k > 0 && bytes.length > 0; k--) {
                bytes[d.between(0, bytes.length - 1)] = (byte) d.interestingByte();
            }
            return new Object[] {wire, bytes};
        });
        Fuzz.qt(500).forAll(cases).describedAs(c -> Fuzz.hex((byte[]) c[1])).checkAssert(c -> {
            Wire wire = (Wire) c[0];
            SocketHarness h = play(wire, (byte[]) c[1]);
            assertNotEquals(Integer.valueOf(1011), h.closeCode, "an internal error");
            assertEquals(0, h.messagesAfterClose);
            for (Object m : h.messages) {
                int size = m instanceof String text ? text.getBytes(StandardCharsets.UTF_8).length : ((byte[]) m).length;
                assertTrue(size <= MAX_MESSAGE, "within max-message-size");
            }
            h.finish();
        });
    }
}
