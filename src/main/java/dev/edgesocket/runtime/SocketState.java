package dev.edgesocket.runtime;

import dev.edgesocket.api.ReadyState;

/**
 * A socket's life, in one place: its {@link ReadyState}, the close the script asked for before the socket
 * opened, the client's close frame (arrived, then answered), whether our close frame was sent (which seals
 * sending), the failure, and whether the {@code close} event was raised. Every way a socket ends goes through
 * here, and each transition answers with what to do next ({@link Next}); the caller does it. No I/O happens
 * here, so the rules (who wins, what is raised once) are tested in {@code SocketStateTest} without a server.
 * <p>
 * One lock: the script may close from any thread while the connection reports on its event loop. The ready
 * state and the seal are also kept in volatile fields, read without the lock on every send.
 */
final class SocketState {

    /** What the caller does after a transition. */
    sealed interface Next {
    }

    /** Nothing to do: the transition was already made, or does not apply any more. */
    record Nothing() implements Next {
    }

    /** Raise {@code open}. */
    record Open() implements Next {
    }

    /** Begin our close on the connection's event loop ({@link #closeFrameDue}). */
    record StartClose(int code, String reason) implements Next {
    }

    /** Write our close frame ({@code code < 0}: one without a status), then {@code after}. Sending is sealed. */
    record SendClose(int code, String reason, After after) implements Next {
    }

    /** What follows our close frame. */
    enum After {
        /** We closed first: wait up to close-timeout for the client's close frame, then reset the connection. */
        AWAIT_PEER,
        /** The client's close frame is in already: close the connection. */
        CLOSE_CONNECTION,
        /** This answers the client's close frame: close once it is written, reset after close-timeout. */
        CLOSE_WHEN_WRITTEN
    }

    /** Our close frame went earlier and the client's came now: close the connection. */
    record CloseConnection() implements Next {
    }

    /**
     * Fail the connection: raise {@code error}; write our close frame if {@code sendCloseFrame} (sending is then
     * sealed); if {@code peerIsTalking} (it broke the protocol, so it is still sending) let it finish before
     * closing, otherwise, while {@code connected}, stop reading and reset the connection after a grace.
     */
    record Fail(int code, String reason, boolean sendCloseFrame, boolean peerIsTalking, boolean connected)
            implements Next {
    }

    /** The connection is gone: raise {@code error} first when it is not null, then the one {@code close} event. */
    record Closed(int code, String reason, boolean wasClean, String error) implements Next {
    }

    static final Next NOTHING = new Nothing();
    static final String LOST = "The connection was lost without a close frame.";
    static final String LOST_BEFORE_HANDSHAKE = "The connection ended before the WebSocket handshake completed.";

    /** A close code and reason, as sent or received. */
    private record Close(int code, String reason) {
        /** As the script sees it: no status is 1005, no reason is "". */
        static Close seen(int code, String reason) {
            return new Close(code < 0 ? CloseCodes.NO_STATUS : code, reason == null ? "" : reason);
        }
    }

    private volatile ReadyState state = ReadyState.CONNECTING;
    /** No frame may be written any more: our close frame went, or the connection is gone. */
    private volatile boolean sealed;
    private boolean bound;
    /** A close the script asked for while connecting; {@link #opened()} sends it instead of raising "open". */
    private Close requested;
    /**
     * The client's close frame arrived and waits behind the events queued before it; if the connection ends
     * meanwhile (the client closes TCP right after its close frame), it is still the true cause.
     */
    private Close pending;
    /** The client's close frame, answered. */
    private Close received;
    private boolean closeSent;
    /** The client's close frame came before ours and before any failure: the client began the close. */
    private boolean peerStarted;
    private Close failure;
    private boolean closeEventRaised;

    ReadyState readyState() {
        return state;
    }

    /** True once no frame may be written (our close frame went, or the connection is gone). */
    boolean sealed() {
        return sealed;
    }

    // ---------------------------------------------------------------- the script's side (any thread)

    /** The script's {@code close()}: the first close wins, closing twice is harmless. */
    synchronized Next close(int code, String reason) {
        if (state == ReadyState.CONNECTING) {
            // Recorded with the state move, so opened() always finds the code.
            requested = new Close(code, reason);
            state = ReadyState.CLOSING;
            return NOTHING;
        }
        return leaveOpen() ? new StartClose(code, reason) : NOTHING;
    }

    /**
     * From {@code OPEN} to {@code CLOSING}; false in any other state. What is sent from then on is dropped, as in a
     * browser. For the closes that start outside the state machine's other transitions (max-idle, a send past
     * max-buffered-amount).
     */
    synchronized boolean leaveOpen() {
        if (state != ReadyState.OPEN) {
            return false;
        }
        state = ReadyState.CLOSING;
        return true;
    }

    /** The script answered its request with something else than the upgrade: the socket never opens, silently. */
    synchronized void neverOpened() {
        state = ReadyState.CLOSED;
    }

    // ---------------------------------------------------------------- the connection's side (its event loop)

    /** The handshake completed: open, or begin the close the script asked for meanwhile (no "open" then). */
    synchronized Next opened() {
        bound = true;
        if (state == ReadyState.CONNECTING) {
            state = ReadyState.OPEN;
            return new Open();
        }
        // A socket that never opened (neverOpened) is not bound; should it be, nothing is owed to it.
        return requested == null ? NOTHING : new StartClose(requested.code(), requested.reason());
    }

    /** The connection ended before the handshake completed: closed at once, with error and close (1006) raised. */
    synchronized Next abandonedUnbound() {
        if (bound || closeEventRaised) {
            return NOTHING;
        }
        closeEventRaised = true;
        sealed = true;
        state = ReadyState.CLOSED;
        return new Closed(CloseCodes.ABNORMAL, "", false, LOST_BEFORE_HANDSHAKE);
    }

    /** Our close is due ({@link StartClose}): send the close frame, unless it went or the connection is gone. */
    synchronized Next closeFrameDue(int code, String reason, boolean connected) {
        if (sealed || !connected) {
            return NOTHING;
        }
        seal();
        return new SendClose(code, reason, received != null ? After.CLOSE_CONNECTION : After.AWAIT_PEER);
    }

    /** The client's close frame ({@code code < 0}: none in it) arrived; its turn comes after the queued events. */
    synchronized void closeFrameArrived(int code, String reason) {
        if (pending == null) {
            pending = Close.seen(code, reason);
            peerStarted = !closeSent && failure == null;
        }
    }

    /** True when the client began the close (its close frame came first), false when the server did or none did. */
    synchronized boolean peerStartedClose() {
        return peerStarted;
    }

    /** The client's close frame has its turn: answer it (RFC 6455 5.5.1), echoing its code, then drop the connection. */
    synchronized Next closeFrameTurn(int code, String reason) {
        if (received != null || closeEventRaised) {
            return NOTHING;
        }
        received = Close.seen(code, reason);
        if (state == ReadyState.OPEN) {
            state = ReadyState.CLOSING;
        }
        if (sealed) {
            return new CloseConnection();
        }
        seal();
        return new SendClose(code, received.reason(), After.CLOSE_WHEN_WRITTEN);
    }

    /**
     * The connection is failed (a violation, a dead or non-reading peer, the server's budget, an internal error):
     * the first failure wins, and none counts once the close event was raised.
     */
    synchronized Next fail(int code, String reason, boolean connected) {
        if (failure != null || closeEventRaised) {
            return NOTHING;
        }
        failure = new Close(code, reason);
        state = ReadyState.CLOSING;
        boolean send = !sealed && connected;
        if (send) {
            seal();
        }
        boolean peerIsTalking = code == CloseCodes.PROTOCOL_ERROR || code == CloseCodes.INVALID_PAYLOAD
                || code == CloseCodes.MESSAGE_TOO_BIG;
        return new Fail(code, reason, send, send && peerIsTalking, connected);
    }

    /**
     * The connection is gone: the one close event, with its true cause. A failure wins; then the client's close
     * frame (answered, or still waiting for its turn), clean if ours was sent; else the connection was lost (1006).
     * Sending is sealed; the state turns {@code CLOSED} in {@link #closed()}, once the error was raised.
     */
    synchronized Next disconnected() {
        if (closeEventRaised) {
            return NOTHING;
        }
        closeEventRaised = true;
        boolean clean = closeSent;
        sealed = true;
        if (failure != null) {
            return new Closed(failure.code(), failure.reason(), false, null);
        }
        Close peer = received != null ? received : pending;
        if (peer != null) {
            return new Closed(peer.code(), peer.reason(), clean, null);
        }
        return new Closed(CloseCodes.ABNORMAL, "", false, LOST);
    }

    /** The close event is being raised: the socket is closed. */
    synchronized void closed() {
        state = ReadyState.CLOSED;
    }

    private void seal() {
        closeSent = true;
        sealed = true;
    }

    @Override
    public synchronized String toString() {
        return state + (closeSent ? ", close sent" : "") + (received != null ? ", close received " + received.code() : "")
                + (failure != null ? ", failed " + failure.code() : "") + (closeEventRaised ? ", close raised" : "");
    }
}
