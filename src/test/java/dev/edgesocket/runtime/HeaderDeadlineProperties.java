package dev.edgesocket.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import dev.edgesocket.testing.Fuzz;
import dev.edgesocket.testing.Fuzz.Draw;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

/**
 * {@link HeaderDeadline} on an {@link EmbeddedChannel} with a frozen clock: bytes arrive at chosen instants, split
 * anywhere. The rule (issue 19, item 4): from accept, and again after each response, a client has the deadline to
 * send a request head (a request line, headers, an empty line); bytes that do not complete one do not extend it;
 * blank lines before the request line are not a request.
 */
class HeaderDeadlineProperties {

    static final long TIMEOUT = 1000;

    /** The bytes sent, and at which millisecond after accept each piece arrives (non-decreasing). */
    record Arrivals(byte[] bytes, int[] cuts, long[] at) {
        @Override
        public String toString() {
            List<String> pieces = new ArrayList<>();
            List<byte[]> chunks = Fuzz.chunks(bytes, cuts);
            for (int i = 0; i < chunks.size(); i++) {
                pieces.add("@" + at[i] + "ms " + new String(chunks.get(i), StandardCharsets.ISO_8859_1)
                        .replace("\r", "\\r").replace("\n", "\\n"));
            }
            return pieces.toString();
        }
    }

    static String requestLine(Draw d) {
        return d.pick("GET", "POST", "OPTIONS", "PATCH") + " " + d.pick("/", "/echo", "/api/zones?x=1", "*") + " "
                + d.pick("HTTP/1.1", "HTTP/1.0") + "\r\n";
    }

    static String headers(Draw d) {
        StringBuilder sb = new StringBuilder();
        int n = d.between(0, 4);
        for (int i = 0; i < n; i++) {
            sb.append(d.pick("Host: a", "Upgrade: websocket", "Connection: Upgrade", "X-Long: " + "v".repeat(d.between(0, 300)),
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")).append("\r\n");
        }
        return sb.toString();
    }

    /** Times for each chunk, from {@code from} to {@code to} ms, non-decreasing. */
    static long[] times(Draw d, int chunks, long from, long to) {
        long[] at = new long[chunks];
        for (int i = 0; i < chunks; i++) {
            at[i] = d.longBetween(from, to);
        }
        Arrays.sort(at);
        return at;
    }

    static Arrivals arrivals(Draw d, String text, long from, long to) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        int[] cuts = d.cuts(bytes.length, 8);
        return new Arrivals(bytes, cuts, times(d, cuts.length + 1, from, to));
    }

    /** A connection with its deadline, on a clock that moves only when the test says. */
    static final class Connection {
        final EmbeddedChannel channel = new EmbeddedChannel();
        final HeaderDeadline deadline;
        long now;
        final List<String> written = new ArrayList<>();

        Connection() {
            channel.freezeTime();
            deadline = new HeaderDeadline(TIMEOUT);
            channel.pipeline().addFirst(HeaderDeadline.NAME, deadline);
        }

        void advanceTo(long millis) {
            if (millis > now) {
                channel.advanceTimeBy(millis - now, TimeUnit.MILLISECONDS);
                now = millis;
            }
            channel.runScheduledPendingTasks();
            channel.runPendingTasks();
            collect();
        }

        void play(Arrivals a) {
            List<byte[]> chunks = Fuzz.chunks(a.bytes(), a.cuts());
            for (int i = 0; i < chunks.size(); i++) {
                advanceTo(a.at()[i]);
                if (channel.isOpen()) {
                    channel.writeInbound(Unpooled.wrappedBuffer(chunks.get(i)));
                }
                collect();
            }
        }

        void collect() {
            for (Object in; (in = channel.readInbound()) != null;) {
                ReferenceCountUtil.release(in); // the bytes go on to the HTTP codec, untouched: not our business here
            }
            for (Object out; (out = channel.readOutbound()) != null;) {
                written.add(((ByteBuf) out).toString(StandardCharsets.ISO_8859_1));
                ReferenceCountUtil.release(out);
            }
        }

        boolean answered408() {
            return written.stream().anyMatch(w -> w.startsWith("HTTP/1.1 408 "));
        }
    }

    /** A whole head that arrives before the deadline, however split, keeps the connection, whatever comes later. */
    @Test
    void aHeadInTimeKeepsTheConnection() {
        Gen<Arrivals> heads = Fuzz.gen(d -> arrivals(d, requestLine(d) + headers(d) + "\r\n", 0, TIMEOUT - 1));
        Fuzz.qt(500).forAll(heads).checkAssert(a -> {
            Connection c = new Connection();
            c.play(a);
            c.advanceTo(10 * TIMEOUT);
            assertTrue(c.channel.isOpen());
            assertEquals(List.of(), c.written);
        });
    }

    /**
     * Bytes that never complete a head, trickled at any pace before the deadline: the connection is answered 408 and
     * closed at the deadline exactly (a silent one, or one that sent only blank lines and control bytes, is closed
     * without an answer). Trickling does not extend it.
     */
    @Test
    void anIncompleteHeadIsCutAtTheDeadline() {
        Gen<Arrivals> partial = Fuzz.gen(d -> {
            String head = requestLine(d) + headers(d) + "\r\n";
            // A head without its last line break, or junk without an empty line in it.
            String text = d.bool() ? head.substring(0, d.between(0, head.length() - 1))
                    : new String(d.bytes(d.between(0, 60), Draw::interestingByte), StandardCharsets.ISO_8859_1)
                            .replace("\n", "");
            return arrivals(d, text, 0, TIMEOUT - 1);
        });
        Fuzz.qt(500).forAll(partial).checkAssert(a -> {
            Connection c = new Connection();
            c.play(a);
            c.advanceTo(TIMEOUT - 1);
            assertTrue(c.channel.isOpen(), "open until the deadline");
            c.advanceTo(TIMEOUT);
            assertFalse(c.channel.isOpen(), "closed at the deadline");
            // Control bytes and spaces before a request line begin no request (Netty skips them): silence, no 408.
            boolean begunARequest = false;
            for (byte b : a.bytes()) {
                begunARequest |= (b & 0xFF) > ' ';
            }
            assertEquals(begunARequest, c.answered408(), "408 when a request was begun: " + c.written);
        });
    }

    /** A head whose end arrives after the deadline was too slow: closed at the deadline with 408. */
    @Test
    void aHeadFinishedLateIsCut() {
        Gen<Object[]> late = Fuzz.gen(d -> {
            String head = requestLine(d) + headers(d) + "\r\n";
            int split = d.between(1, head.length() - 1);
            return new Object[] {head.substring(0, split), head.substring(split), d.longBetween(0, TIMEOUT - 1),
                    d.longBetween(TIMEOUT, 5 * TIMEOUT)};
        });
        Fuzz.qt(300).forAll(late).describedAs(Arrays::toString).checkAssert(x -> {
            Connection c = new Connection();
            c.advanceTo((long) x[2]);
            c.channel.writeInbound(Unpooled.copiedBuffer((String) x[0], StandardCharsets.ISO_8859_1));
            c.advanceTo((long) x[3]);
            if (c.channel.isOpen()) {
                c.channel.writeInbound(Unpooled.copiedBuffer((String) x[1], StandardCharsets.ISO_8859_1));
            }
            c.advanceTo(10 * TIMEOUT);
            assertFalse(c.channel.isOpen());
            assertTrue(c.answered408());
        });
    }

    /** After a response ends a new deadline runs from that moment; silence then is cut without an answer. */
    @Test
    void eachResponseStartsANewDeadline() {
        Gen<Object[]> cases = Fuzz.gen(d -> new Object[] {arrivals(d, requestLine(d) + headers(d) + "\r\n", 0, TIMEOUT - 1),
                d.longBetween(0, 5 * TIMEOUT)});
        Fuzz.qt(300).forAll(cases).describedAs(Arrays::toString).checkAssert(x -> {
            Arrivals head = (Arrivals) x[0];
            long responseEnds = head.at()[head.at().length - 1] + (long) x[1];
            Connection c = new Connection();
            c.play(head);
            int request = c.deadline.requestStarted(); // as the request filter reports it
            c.advanceTo(responseEnds);
            c.deadline.responseEnded(request);
            c.advanceTo(responseEnds + TIMEOUT - 1);
            assertTrue(c.channel.isOpen());
            c.advanceTo(responseEnds + TIMEOUT);
            assertFalse(c.channel.isOpen());
            assertFalse(c.answered408(), "nothing was sent after the response: " + c.written);
        });
    }

    /**
     * Empty lines first (RFC 9112 2.2 lets a server skip them) are not a request: without a request line after
     * them, the connection is cut at the deadline, however many blank lines come, CRLF or bare LF.
     */
    @Test
    void blankLinesAreNotAHead() {
        Gen<Arrivals> blank = Fuzz.gen(d -> {
            StringBuilder sb = new StringBuilder();
            for (int n = d.between(1, 6); n > 0; n--) {
                sb.append(d.pick("\r\n", "\n"));
            }
            if (d.bool()) {
                String line = requestLine(d);
                sb.append(line, 0, d.between(0, line.length() - 2)); // a request line not yet ended
            }
            return arrivals(d, sb.toString(), 0, TIMEOUT - 1);
        });
        Fuzz.qt(300).forAll(blank).checkAssert(a -> {
            Connection c = new Connection();
            c.play(a);
            c.advanceTo(TIMEOUT);
            assertFalse(c.channel.isOpen(), "blank lines kept the connection: " + c.written);
        });
    }

    /** Blank lines and then a whole head in time: a request like any other, the connection stays. */
    @Test
    void blankLinesBeforeAHeadInTime() {
        Gen<Arrivals> heads = Fuzz.gen(d -> arrivals(d, "\r\n".repeat(d.between(1, 3)) + requestLine(d) + headers(d) + "\r\n",
                0, TIMEOUT - 1));
        Fuzz.qt(200).forAll(heads).checkAssert(a -> {
            Connection c = new Connection();
            c.play(a);
            c.advanceTo(10 * TIMEOUT);
            assertTrue(c.channel.isOpen());
        });
    }
}
