package dev.edgesocket.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.edgesocket.api.ReadyState;
import dev.edgesocket.runtime.SocketState.After;
import dev.edgesocket.runtime.SocketState.CloseConnection;
import dev.edgesocket.runtime.SocketState.Closed;
import dev.edgesocket.runtime.SocketState.Fail;
import dev.edgesocket.runtime.SocketState.Next;
import dev.edgesocket.runtime.SocketState.Open;
import dev.edgesocket.runtime.SocketState.SendClose;
import dev.edgesocket.runtime.SocketState.StartClose;

/**
 * How a socket ends, as {@link SocketState} decides it, without a server: each row is one story (what the script, the
 * client and the connection do, in order) with what the state machine answers at each step and the ready state after
 * it. The rows were read off what the runtime did before the state machine was extracted ({@code ClosingHandshake},
 * {@code EdgeWebSocket}, docs/protocol.md); {@code CloseOrderingTest}, {@code CloseTest} and
 * {@code ProtocolViolationTest} check the same stories end to end.
 */
class SocketStateTest {

    private static final Next NOTHING = SocketState.NOTHING;
    private static final ReadyState CONNECTING = ReadyState.CONNECTING, OPEN = ReadyState.OPEN,
            CLOSING = ReadyState.CLOSING, CLOSED = ReadyState.CLOSED;

    /** One step: what happens, what the state machine answers (a {@link Next}, or a boolean), the state after. */
    record Step(String what, Function<SocketState, Object> call, Object answer, ReadyState after) {
        @Override
        public String toString() {
            return what;
        }
    }

    // ---------------------------------------------------------------- the steps, as the runtime takes them

    static Step opened(Object answer, ReadyState after) {
        return new Step("the handshake completes", SocketState::opened, answer, after);
    }

    static Step scriptCloses(int code, String reason, Object answer, ReadyState after) {
        return new Step("the script closes with " + code, s -> s.close(code, reason), answer, after);
    }

    /** ClosingHandshake.start: the script's close (or max-idle's) on the event loop. */
    static Step closeFrameDue(int code, String reason, Object answer, ReadyState after) {
        return new Step("our close " + code + " is due", s -> s.closeFrameDue(code, reason, true), answer, after);
    }

    /** The frame reader read the client's close frame; its turn comes after the events queued before it. */
    static Step closeFrameArrives(int code, String reason, ReadyState after) {
        return new Step("the client's close frame " + code + " arrives", s -> {
            s.closeFrameArrived(code, reason);
            return NOTHING;
        }, NOTHING, after);
    }

    static Step closeFrameTurn(int code, String reason, Object answer, ReadyState after) {
        return new Step("the client's close frame " + code + " has its turn", s -> s.closeFrameTurn(code, reason), answer,
                after);
    }

    static Step fails(int code, String reason, boolean connected, Object answer, ReadyState after) {
        return new Step("the connection fails with " + code, s -> s.fail(code, reason, connected), answer, after);
    }

    /** A close that starts outside the other transitions: max-idle, a send past max-buffered-amount. */
    static Step leavesOpen(boolean answer, ReadyState after) {
        return new Step("max-idle or an overflowing send", SocketState::leaveOpen, answer, after);
    }

    static Step disconnected(Object answer, ReadyState after) {
        return new Step("the connection is gone", SocketState::disconnected, answer, after);
    }

    /** ClosingHandshake raises the close event (after the error, if any): the socket is closed. */
    static Step closeRaised() {
        return new Step("the close event is raised", s -> {
            s.closed();
            return NOTHING;
        }, NOTHING, CLOSED);
    }

    static Step sealed(boolean answer, ReadyState after) {
        return new Step("sending sealed?", SocketState::sealed, answer, after);
    }

    static Step abandonedUnbound(Object answer, ReadyState after) {
        return new Step("the connection ends before the handshake", SocketState::abandonedUnbound, answer, after);
    }

    static Closed closeEvent(int code, String reason, boolean wasClean) {
        return new Closed(code, reason, wasClean, null);
    }

    static Step[] open() {
        return new Step[] {opened(new Open(), OPEN)};
    }

    static Arguments row(String story, Step... steps) {
        return Arguments.of(story, List.of(steps));
    }

    static Step[] concat(Step[] first, Step... rest) {
        return Stream.concat(Stream.of(first), Stream.of(rest)).toArray(Step[]::new);
    }

    static Stream<Arguments> stories() {
        String lost = SocketState.LOST;
        return Stream.of(
                // ------------------------------------------------------------ close ordering
                row("the script closes, then the client answers", concat(open(),
                        scriptCloses(1000, "bye", new StartClose(1000, "bye"), CLOSING),
                        sealed(false, CLOSING),
                        closeFrameDue(1000, "bye", new SendClose(1000, "bye", After.AWAIT_PEER), CLOSING),
                        sealed(true, CLOSING),
                        closeFrameArrives(1000, "ok", CLOSING),
                        closeFrameTurn(1000, "ok", new CloseConnection(), CLOSING),
                        // The script sees the client's code and reason, clean: both close frames went.
                        disconnected(closeEvent(1000, "ok", true), CLOSING),
                        closeRaised())),
                row("the client closes first: its code is echoed, then the connection closes once it is written",
                        concat(open(),
                                closeFrameArrives(4001, "away", OPEN),
                                closeFrameTurn(4001, "away", new SendClose(4001, "away", After.CLOSE_WHEN_WRITTEN),
                                        CLOSING),
                                scriptCloses(1000, "late", NOTHING, CLOSING), // closing twice is harmless
                                closeFrameDue(1000, "late", NOTHING, CLOSING),
                                disconnected(closeEvent(4001, "away", true), CLOSING),
                                closeRaised())),
                row("a close frame without a status is echoed empty and reported as 1005", concat(open(),
                        closeFrameArrives(-1, "", OPEN),
                        closeFrameTurn(-1, "", new SendClose(-1, "", After.CLOSE_WHEN_WRITTEN), CLOSING),
                        disconnected(closeEvent(CloseCodes.NO_STATUS, "", true), CLOSING),
                        closeRaised())),
                row("both close at once, ours goes first: the connection closes when theirs has its turn",
                        concat(open(),
                                scriptCloses(1000, "mine", new StartClose(1000, "mine"), CLOSING),
                                closeFrameArrives(4000, "theirs", CLOSING),
                                closeFrameDue(1000, "mine", new SendClose(1000, "mine", After.AWAIT_PEER), CLOSING),
                                closeFrameTurn(4000, "theirs", new CloseConnection(), CLOSING),
                                disconnected(closeEvent(4000, "theirs", true), CLOSING),
                                closeRaised())),
                row("both close at once, theirs has its turn first: ours is the answer, and no second close frame",
                        concat(open(),
                                scriptCloses(1000, "mine", new StartClose(1000, "mine"), CLOSING),
                                closeFrameArrives(4000, "theirs", CLOSING),
                                closeFrameTurn(4000, "theirs", new SendClose(4000, "theirs", After.CLOSE_WHEN_WRITTEN),
                                        CLOSING),
                                closeFrameDue(1000, "mine", NOTHING, CLOSING),
                                disconnected(closeEvent(4000, "theirs", true), CLOSING),
                                closeRaised())),
                row("the client's close frame arrives, the connection ends before its turn: still its close, not clean",
                        concat(open(),
                                closeFrameArrives(1000, "bye", OPEN),
                                disconnected(closeEvent(1000, "bye", false), OPEN),
                                closeRaised(),
                                closeFrameTurn(1000, "bye", NOTHING, CLOSED))),
                row("the script closed, the client's close frame came and the connection ended before its turn: clean",
                        concat(open(),
                                scriptCloses(1000, "", new StartClose(1000, ""), CLOSING),
                                closeFrameDue(1000, "", new SendClose(1000, "", After.AWAIT_PEER), CLOSING),
                                closeFrameArrives(1001, "leaving", CLOSING),
                                disconnected(closeEvent(1001, "leaving", true), CLOSING),
                                closeRaised())),
                // ------------------------------------------------------------ the close timeout
                row("the client never answers our close: reset after close-timeout, lost (1006) with an error",
                        concat(open(),
                                scriptCloses(1000, "", new StartClose(1000, ""), CLOSING),
                                closeFrameDue(1000, "", new SendClose(1000, "", After.AWAIT_PEER), CLOSING),
                                disconnected(new Closed(CloseCodes.ABNORMAL, "", false, lost), CLOSING),
                                closeRaised())),
                row("max-idle closes with 1001 and waits for the client as the script's close does", concat(open(),
                        leavesOpen(true, CLOSING),
                        leavesOpen(false, CLOSING),
                        closeFrameDue(1001, "No message received for 5 seconds",
                                new SendClose(1001, "No message received for 5 seconds", After.AWAIT_PEER), CLOSING),
                        scriptCloses(1000, "", NOTHING, CLOSING),
                        closeFrameArrives(1001, "", CLOSING),
                        closeFrameTurn(1001, "", new CloseConnection(), CLOSING),
                        disconnected(closeEvent(1001, "", true), CLOSING),
                        closeRaised())),
                row("our close is due on a connection already gone: nothing is sent", concat(open(),
                        scriptCloses(1000, "", new StartClose(1000, ""), CLOSING),
                        new Step("our close is due, disconnected", s -> s.closeFrameDue(1000, "", false), NOTHING,
                                CLOSING),
                        sealed(false, CLOSING),
                        disconnected(new Closed(CloseCodes.ABNORMAL, "", false, lost), CLOSING),
                        sealed(true, CLOSING),
                        closeRaised())),
                // ------------------------------------------------------------ violations and failures
                row("a violation: error, our close frame with its code, a linger for the talking peer, unclean close",
                        concat(open(),
                                fails(1002, "Reserved bits set", true,
                                        new Fail(1002, "Reserved bits set", true, true, true), CLOSING),
                                sealed(true, CLOSING),
                                disconnected(closeEvent(1002, "Reserved bits set", false), CLOSING),
                                closeRaised())),
                row("a violation during our close: its code wins, no second close frame, the peer is not waited for",
                        concat(open(),
                                scriptCloses(1000, "", new StartClose(1000, ""), CLOSING),
                                closeFrameDue(1000, "", new SendClose(1000, "", After.AWAIT_PEER), CLOSING),
                                fails(1007, "Invalid UTF-8", true, new Fail(1007, "Invalid UTF-8", false, false, true),
                                        CLOSING),
                                disconnected(closeEvent(1007, "Invalid UTF-8", false), CLOSING),
                                closeRaised())),
                row("a failure after the client's close was answered: the failure's code wins over the client's",
                        concat(open(),
                                closeFrameArrives(1000, "bye", OPEN),
                                closeFrameTurn(1000, "bye", new SendClose(1000, "bye", After.CLOSE_WHEN_WRITTEN),
                                        CLOSING),
                                fails(1001, "No response from ping frame.", true,
                                        new Fail(1001, "No response from ping frame.", false, false, true), CLOSING),
                                disconnected(closeEvent(1001, "No response from ping frame.", false), CLOSING),
                                closeRaised())),
                row("two violations: the first wins, error and close are raised once", concat(open(),
                        fails(1009, "Message is too large", true, new Fail(1009, "Message is too large", true, true, true),
                                CLOSING),
                        fails(1002, "Reserved bits set", true, NOTHING, CLOSING),
                        disconnected(closeEvent(1009, "Message is too large", false), CLOSING),
                        disconnected(NOTHING, CLOSING),
                        closeRaised(),
                        fails(1011, "Internal error", true, NOTHING, CLOSED))),
                row("a failure that is not the peer's talking (stalled, dead, shed): no linger", concat(open(),
                        fails(1013, "Server overloaded: try again later", true,
                                new Fail(1013, "Server overloaded: try again later", true, false, true), CLOSING),
                        disconnected(closeEvent(1013, "Server overloaded: try again later", false), CLOSING),
                        closeRaised())),
                row("a send past max-buffered-amount: closing at once, then failed with 1008 on the event loop",
                        concat(open(),
                                leavesOpen(true, CLOSING),
                                scriptCloses(1000, "", NOTHING, CLOSING),
                                fails(1008, "Send buffer full: the client is not reading", true,
                                        new Fail(1008, "Send buffer full: the client is not reading", true, false, true),
                                        CLOSING),
                                disconnected(closeEvent(1008, "Send buffer full: the client is not reading", false),
                                        CLOSING),
                                closeRaised())),
                row("a failure on a connection already gone: nothing is sent", concat(open(),
                        fails(1011, "Internal error", false, new Fail(1011, "Internal error", false, false, false),
                                CLOSING),
                        sealed(false, CLOSING),
                        disconnected(closeEvent(1011, "Internal error", false), CLOSING),
                        closeRaised())),
                // ------------------------------------------------------------ lost connections
                row("the connection is lost: error, then close 1006, once", concat(open(),
                        disconnected(new Closed(CloseCodes.ABNORMAL, "", false, lost), OPEN),
                        sealed(true, OPEN),
                        closeRaised(),
                        disconnected(NOTHING, CLOSED),
                        fails(1002, "Reserved bits set", true, NOTHING, CLOSED),
                        scriptCloses(1000, "", NOTHING, CLOSED),
                        leavesOpen(false, CLOSED))),
                // ------------------------------------------------------------ the drain
                row("the drain closes with 1001 as a script would; the client's answer is what the script sees",
                        concat(open(),
                                scriptCloses(1001, "Server shutting down", new StartClose(1001, "Server shutting down"),
                                        CLOSING),
                                closeFrameDue(1001, "Server shutting down",
                                        new SendClose(1001, "Server shutting down", After.AWAIT_PEER), CLOSING),
                                scriptCloses(1001, "Server shutting down", NOTHING, CLOSING), // the drain's second pass
                                closeFrameArrives(1001, "", CLOSING),
                                closeFrameTurn(1001, "", new CloseConnection(), CLOSING),
                                disconnected(closeEvent(1001, "", true), CLOSING),
                                closeRaised())),
                // ------------------------------------------------------------ before the handshake completes
                row("closed while connecting: the first close wins, and no open: the close begins at the handshake",
                        scriptCloses(4001, "early", NOTHING, CLOSING),
                        scriptCloses(1000, "", NOTHING, CLOSING),
                        opened(new StartClose(4001, "early"), CLOSING),
                        closeFrameDue(4001, "early", new SendClose(4001, "early", After.AWAIT_PEER), CLOSING),
                        abandonedUnbound(NOTHING, CLOSING)),
                row("the connection ends before the handshake: error and close 1006, once",
                        abandonedUnbound(new Closed(CloseCodes.ABNORMAL, "", false, SocketState.LOST_BEFORE_HANDSHAKE),
                                CLOSED),
                        abandonedUnbound(NOTHING, CLOSED),
                        scriptCloses(1000, "", NOTHING, CLOSED)),
                row("a bound socket is not abandoned", concat(open(),
                        abandonedUnbound(NOTHING, OPEN))),
                row("the script answered with something else than the upgrade: closed, silently",
                        new Step("the script does not return the upgrade", s -> {
                            s.neverOpened();
                            return NOTHING;
                        }, NOTHING, CLOSED),
                        scriptCloses(1000, "", NOTHING, CLOSED),
                        opened(NOTHING, CLOSED)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stories")
    void story(String story, List<Step> steps) {
        SocketState state = new SocketState();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String at = "step " + (i + 1) + ", " + step.what() + " (" + state + ")";
            assertEquals(step.answer(), step.call().apply(state), at);
            assertEquals(step.after(), state.readyState(), at + ": the ready state after it");
        }
    }
}
