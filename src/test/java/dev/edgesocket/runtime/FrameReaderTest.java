package dev.edgesocket.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * {@link FrameReader} and {@link MessageAssembler} on an {@link EmbeddedChannel}, talking to a recording fake of
 * {@link InboundFrames}: one example per rule (masking, fragments, control frames between fragments, the size and
 * fragment limits, UTF-8, reserved bits, close frames, inflating, pausing). What they report is read off the fake, in
 * order. The random conversations are {@link FrameReaderProperties}'; these name each rule once.
 */
class FrameReaderTest {

    private static final int MASK = 0x37FA213D;
    private static final int FIN = 0x80, RSV1 = 0x40, RSV2 = 0x20, RSV3 = 0x10;
    private static final int CONT = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

    /** Everything the reader and the assembler said, in order, as short strings; and what they asked of the budget. */
    static final class Recorder implements InboundFrames {
        final List<String> said = new ArrayList<>();
        final List<Object> messages = new ArrayList<>();
        long assembled;
        long inflated;
        boolean paused;

        @Override
        public String id() {
            return "test-1";
        }

        @Override
        public void onMessage(boolean text, ByteBuf payload) {
            Object data = text ? payload.toString(StandardCharsets.UTF_8) : ByteBufUtil.getBytes(payload);
            messages.add(data);
            said.add((text ? "text " : "binary ") + payload.readableBytes());
        }

        @Override
        public void onPing(byte[] payload, int length) {
            said.add("ping " + new String(payload == null ? new byte[0] : payload, 0, length, StandardCharsets.UTF_8));
        }

        @Override
        public void onPong(byte[] payload, int length) {
            said.add("pong " + new String(payload == null ? new byte[0] : payload, 0, length, StandardCharsets.UTF_8));
        }

        @Override
        public void onCloseFrame(int code, String reason) {
            said.add("close " + code + " " + reason);
        }

        @Override
        public void violation(int code, String reason, String message) {
            said.add("violation " + code + " " + reason);
        }

        @Override
        public void failNow(int code, String reason, String message, Throwable cause) {
            said.add("fail " + code + " " + reason);
        }

        @Override
        public void onDisconnected() {
            said.add("disconnected");
        }

        @Override
        public void readStarted() {
        }

        @Override
        public void readCompleted() {
        }

        @Override
        public void newTurn() {
        }

        @Override
        public boolean readingPaused() {
            return paused;
        }

        @Override
        public void inflated(long bytes) {
            inflated += bytes;
        }

        @Override
        public void assembling(long delta) {
            assembled += delta;
        }
    }

    private final Recorder socket = new Recorder();
    private EmbeddedChannel channel;
    private FrameReader reader;

    private void reading(long maxMessageSize, int maxFragments, PerMessageDeflate.Agreement deflate) {
        MessageAssembler assembler = new MessageAssembler(socket, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT,
                maxMessageSize, maxFragments, deflate);
        reader = new FrameReader(socket, assembler, deflate != null);
        channel = new EmbeddedChannel(reader);
    }

    private void reading() {
        reading(1 << 20, 100, null);
    }

    @AfterEach
    void finish() {
        if (channel != null) {
            channel.checkException();
            channel.finishAndReleaseAll();
            // Whatever was assembled was handed off or freed: the budget's count is back to zero.
            assertEquals(0, socket.assembled, "what the assembler holds, as the budget counts it");
        }
    }

    /** One frame: {@code bits} is FIN and the RSV bits, masked unless {@code mask} is null. */
    static byte[] frame(int bits, int opcode, byte[] payload, Integer mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bits | opcode);
        int maskBit = mask == null ? 0 : 0x80;
        int n = payload.length;
        if (n < 126) {
            out.write(maskBit | n);
        } else if (n < 65536) {
            out.write(maskBit | 126);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) n >> shift));
            }
        }
        if (mask == null) {
            out.writeBytes(payload);
        } else {
            byte[] key = {(byte) (mask >> 24), (byte) (mask >> 16), (byte) (mask >> 8), (byte) (int) mask};
            out.writeBytes(key);
            for (int i = 0; i < n; i++) {
                out.write(payload[i] ^ key[i & 3]);
            }
        }
        return out.toByteArray();
    }

    static byte[] masked(int bits, int opcode, byte[] payload) {
        return frame(bits, opcode, payload, MASK);
    }

    static byte[] masked(int bits, int opcode, String payload) {
        return masked(bits, opcode, payload.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] closeFrame(int code, byte[] reason) {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return masked(FIN, CLOSE, payload);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Bytes from the client, as one read of the connection. */
    private void feed(byte[]... parts) {
        channel.writeInbound(Unpooled.wrappedBuffer(concat(parts)));
    }

    private void expect(String... said) {
        assertEquals(List.of(said), socket.said);
    }

    // ---------------------------------------------------------------- masking and framing

    @Test
    void aMaskedTextFrameIsAMessage() {
        reading();
        feed(masked(FIN, TEXT, "hello"));
        expect("text 5");
        assertEquals(List.of("hello"), socket.messages);
    }

    @Test
    void lengthsOf16And64BitsAreRead() {
        reading();
        byte[] medium = new byte[300];
        byte[] large = new byte[70_000];
        large[69_999] = 9;
        feed(masked(FIN, BINARY, medium), masked(FIN, BINARY, large));
        expect("binary 300", "binary 70000");
        assertEquals(9, ((byte[]) socket.messages.get(1))[69_999]);
    }

    @Test
    void aFrameCutAtEveryByteStillArrivesWhole() {
        reading();
        byte[] bytes = masked(FIN, TEXT, "cut everywhere");
        for (byte b : bytes) {
            feed(new byte[] {b});
        }
        assertEquals(List.of("cut everywhere"), socket.messages);
    }

    @Test
    void anUnmaskedFrameIsA1002AndNothingAfterItIsRead() {
        reading();
        feed(frame(FIN, TEXT, "hi".getBytes(StandardCharsets.UTF_8), null), masked(FIN, TEXT, "after"));
        feed(masked(FIN, TEXT, "later"));
        expect("violation 1002 Frames from a client must be masked");
    }

    @Test
    void aLengthWithItsTopBitSetIsA1002() {
        reading();
        feed(new byte[] {(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4});
        expect("violation 1002 Invalid frame length");
    }

    // ---------------------------------------------------------------- fragments and control frames

    @Test
    void aFragmentedMessageIsOneMessageAndControlFramesBetweenItsFragmentsComeFirst() {
        reading();
        feed(masked(0, TEXT, "frag"), masked(FIN, PING, "p1"), masked(0, CONT, "men"), masked(FIN, PONG, "p2"),
                masked(FIN, CONT, "ted"));
        expect("ping p1", "pong p2", "text 10");
        assertEquals(List.of("fragmented"), socket.messages);
    }

    @Test
    void aCharacterSplitAcrossFragmentsIsValid() {
        reading();
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        feed(masked(0, TEXT, new byte[] {euro[0]}), masked(FIN, CONT, new byte[] {euro[1], euro[2]}));
        assertEquals(List.of("€"), socket.messages);
    }

    @Test
    void aContinuationWithNoMessageIsA1002() {
        reading();
        feed(masked(FIN, CONT, "x"));
        expect("violation 1002 Unexpected continuation frame");
    }

    @Test
    void aNewMessageInsideAFragmentedOneIsA1002() {
        reading();
        feed(masked(0, TEXT, "a"), masked(FIN, TEXT, "b"));
        expect("violation 1002 Expected a continuation frame");
    }

    @Test
    void aFragmentedControlFrameIsA1002() {
        reading();
        feed(masked(0, PING, "x"));
        expect("violation 1002 Fragmented control frame");
    }

    @Test
    void aControlFrameOver125BytesIsA1002() {
        reading();
        feed(masked(FIN, PING, new byte[126]));
        expect("violation 1002 Control frame too long");
    }

    @Test
    void reservedOpcodesAreA1002() {
        reading();
        feed(masked(FIN, 0x3, new byte[0]));
        expect("violation 1002 Reserved opcode 3");
        channel.finishAndReleaseAll();
        socket.said.clear();
        reading();
        feed(masked(FIN, 0xB, new byte[0]));
        expect("violation 1002 Reserved opcode 11");
    }

    // ---------------------------------------------------------------- limits (1009)

    @Test
    void aMessageOverMaxMessageSizeIsA1009BeforeItsPayloadIsRead() {
        reading(10, 100, null);
        // Only the header: the limit is checked on what the header announces.
        byte[] header = masked(FIN, BINARY, new byte[11]);
        feed(java.util.Arrays.copyOf(header, 6));
        expect("violation 1009 " + MessageAssembler.TOO_LARGE);
    }

    @Test
    void fragmentsThatAddUpPastMaxMessageSizeAreA1009() {
        reading(10, 100, null);
        feed(masked(0, BINARY, new byte[6]), masked(FIN, CONT, new byte[5]));
        expect("violation 1009 " + MessageAssembler.TOO_LARGE);
    }

    @Test
    void exactlyMaxMessageSizeIsAllowed() {
        reading(10, 100, null);
        feed(masked(0, BINARY, new byte[6]), masked(FIN, CONT, new byte[4]));
        expect("binary 10");
    }

    @Test
    void moreFragmentsThanMaxFragmentsAreA1009() {
        reading(1000, 3, null);
        feed(masked(0, TEXT, "a"), masked(0, CONT, "b"), masked(0, CONT, "c"), masked(FIN, CONT, "d"));
        expect("violation 1009 " + MessageAssembler.TOO_MANY_FRAGMENTS);
    }

    // ---------------------------------------------------------------- UTF-8 (1007)

    @Test
    void invalidUtf8FailsAtTheFirstBadByteBeforeTheFrameEnds() {
        reading();
        byte[] bytes = masked(FIN, TEXT, concat("valid ".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xC0,
                (byte) 0x80}, new byte[1000]));
        feed(java.util.Arrays.copyOf(bytes, 8 + 10)); // the header with its mask, and 10 bytes: the bad ones among them
        expect("violation 1007 Invalid UTF-8");
    }

    @Test
    void aTextMessageEndingInsideACharacterIsA1007() {
        reading();
        feed(masked(FIN, TEXT, new byte[] {'a', (byte) 0xE2, (byte) 0x82}));
        expect("violation 1007 Invalid UTF-8");
    }

    @Test
    void binaryMessagesAreNotChecked() {
        reading();
        feed(masked(FIN, BINARY, new byte[] {(byte) 0xC0, (byte) 0x80}));
        expect("binary 2");
    }

    // ---------------------------------------------------------------- reserved bits (1002)

    @Test
    void rsv2AndRsv3AreA1002() {
        reading();
        feed(masked(FIN | RSV2, TEXT, "x"));
        expect("violation 1002 Reserved bits set");
        channel.finishAndReleaseAll();
        socket.said.clear();
        reading();
        feed(masked(FIN | RSV3, BINARY, "x"));
        expect("violation 1002 Reserved bits set");
    }

    @Test
    void rsv1WithoutPermessageDeflateIsA1002() {
        reading();
        feed(masked(FIN | RSV1, TEXT, "x"));
        expect("violation 1002 Reserved bits set");
    }

    @Test
    void rsv1OnAContinuationOrAControlFrameIsA1002EvenWithDeflate() {
        reading(1 << 20, 100, FrameReaderProperties.TAKEOVER);
        feed(masked(0, BINARY, "a"), masked(FIN | RSV1, CONT, "b"));
        expect("violation 1002 Reserved bits set");
        channel.finishAndReleaseAll();
        socket.said.clear();
        reading(1 << 20, 100, FrameReaderProperties.TAKEOVER);
        feed(masked(FIN | RSV1, PING, "a"));
        expect("violation 1002 Reserved bits set");
    }

    // ---------------------------------------------------------------- close frames

    @Test
    void aCloseFrameEndsReadingWithItsCodeAndReason() {
        reading();
        feed(closeFrame(4001, "bye".getBytes(StandardCharsets.UTF_8)), masked(FIN, TEXT, "after"));
        feed(masked(FIN, TEXT, "later"));
        expect("close 4001 bye");
    }

    @Test
    void aCloseFrameWithoutAStatusHasNone() {
        reading();
        feed(masked(FIN, CLOSE, new byte[0]));
        expect("close -1 ");
    }

    @Test
    void brokenCloseFramesAre1002Or1007() {
        reading();
        feed(masked(FIN, CLOSE, new byte[] {3}));
        expect("violation 1002 Invalid close frame");
        for (int code : new int[] {999, 1005, 1006, 1015, 2999, 5000}) {
            channel.finishAndReleaseAll();
            socket.said.clear();
            reading();
            feed(closeFrame(code, new byte[0]));
            expect("violation 1002 Invalid close code " + code);
        }
        channel.finishAndReleaseAll();
        socket.said.clear();
        reading();
        feed(closeFrame(1000, new byte[] {(byte) 0xFF}));
        expect("violation 1007 Invalid UTF-8");
    }

    // ---------------------------------------------------------------- permessage-deflate

    @Test
    void compressedMessagesInflateAndCountAgainstTheCompressionBudget() {
        reading(1 << 20, 100, FrameReaderProperties.TAKEOVER);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        String first = "hello, compressed world ".repeat(40);
        String second = "hello, compressed world ".repeat(41); // refers back to the first: the context is taken over
        feed(masked(FIN | RSV1, TEXT, FrameReaderProperties.compress(deflater, first.getBytes(StandardCharsets.UTF_8))));
        byte[] compressed = FrameReaderProperties.compress(deflater, second.getBytes(StandardCharsets.UTF_8));
        int half = compressed.length / 2;
        // Fragmented: RSV1 on the first frame only.
        feed(masked(RSV1, TEXT, java.util.Arrays.copyOf(compressed, half)),
                masked(FIN, CONT, java.util.Arrays.copyOfRange(compressed, half, compressed.length)));
        deflater.end();
        assertEquals(List.of(first, second), socket.messages);
        assertEquals(first.length() + second.length(), socket.inflated);
    }

    @Test
    void aCompressedMessageInflatingPastMaxMessageSizeIsA1009() {
        reading(1000, 100, FrameReaderProperties.NO_TAKEOVER);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] bomb = FrameReaderProperties.compress(deflater, new byte[100_000]);
        deflater.end();
        assertTrue(bomb.length < 1000, "the compressed bytes are within the limit");
        feed(masked(FIN | RSV1, BINARY, bomb));
        expect("violation 1009 " + MessageAssembler.TOO_LARGE);
    }

    @Test
    void invalidDeflateDataIsA1007() {
        reading(1 << 20, 100, FrameReaderProperties.NO_TAKEOVER);
        feed(masked(FIN | RSV1, BINARY, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
        expect("violation 1007 Invalid compressed data");
    }

    // ---------------------------------------------------------------- pausing, and the end

    @Test
    void whatIsReadWhilePausedWaitsForResume() {
        reading();
        feed(masked(FIN, TEXT, "one"));
        socket.paused = true;
        feed(masked(FIN, TEXT, "two"), masked(FIN, TEXT, "three"));
        expect("text 3");
        socket.paused = false;
        assertTrue(reader.resume(), "nothing left kept");
        expect("text 3", "text 3", "text 5");
    }

    @Test
    void aStoppedReaderDropsWhatItKeptAndWhatComes() {
        reading();
        socket.paused = true;
        feed(masked(FIN, TEXT, "kept"));
        reader.stop();
        socket.paused = false;
        assertTrue(reader.resume());
        feed(masked(FIN, TEXT, "more"));
        expect();
    }

    @Test
    void theConnectionEndingInsideAMessageFreesIt() {
        reading();
        feed(masked(0, BINARY, new byte[5000]));
        assertFalse(socket.assembled == 0, "the assembler holds the message so far");
        channel.close();
        expect("disconnected");
    }
}
