package dev.edgesocket.runtime;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.edgesocket.api.CloseEvent;
import dev.edgesocket.api.ErrorEvent;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;

/**
 * How one socket ends, whoever ends it: the client's close frame, the script's {@code close()}, a
 * protocol violation, a dead or non-reading peer, or a lost connection. Records the close once, with
 * its true cause, and raises the one {@code close} event.
 * <p>
 * Ordering rule: what the peer ends (its close frame, a violation) is handled only after the
 * listeners of the messages that arrived before it have run and their sends have been queued, as on
 * Deno, which reads the next frame only once the last event was handled. With {@code dispatch=worker}
 * that means waiting behind the socket's queued events, for {@code edgesocket.close-timeout} at most,
 * so that a stuck listener cannot hold the connection; on the event loop it is so already.
 * <p>
 * Confined to the connection's event loop.
 */
final class ClosingHandshake {

    private static final Logger LOG = Logger.getLogger(ClosingHandshake.class);
    /** How long a connection failed for a protocol error may drain the client's last bytes before it is closed. */
    private static final long LINGER_MILLIS = 2000;
    /** How long a failed peer that is not talking may take to read our close frame before the connection is reset. */
    private static final long ABORT_GRACE_MILLIS = 1000;
    /** How long after our close frame was written such a connection is reset, unless the peer closed first. */
    private static final long SENT_GRACE_MILLIS = 100;

    private final EdgeWebSocket socket;
    private final Channel channel;
    private final Outbound out;
    private final long closeTimeoutMillis;

    private boolean closeFrameReceived;
    private int receivedCode = CloseCodes.NO_STATUS;
    private String receivedReason = "";
    private boolean failed;
    private int failureCode;
    private String failureReason;
    private boolean closeEventRaised;
    private ScheduledFuture<?> closeTimer;
    // The client's close frame arrived and waits behind queued events; if the connection ends meanwhile
    // (the client closes TCP right after its close frame), it is still the true cause.
    private boolean closeFramePending;
    private int pendingCode;
    private String pendingReason;

    ClosingHandshake(EdgeWebSocket socket, Channel channel, Outbound out, long closeTimeoutMillis) {
        this.socket = socket;
        this.channel = channel;
        this.out = out;
        this.closeTimeoutMillis = closeTimeoutMillis;
    }

    /** The client's close frame ({@code code < 0}: none in it): answer it, then drop the connection. */
    void onCloseFrame(int code, String reason) {
        if (!closeFramePending) {
            closeFramePending = true;
            pendingCode = code < 0 ? CloseCodes.NO_STATUS : code;
            pendingReason = reason == null ? "" : reason;
        }
        afterQueuedEvents(() -> answerClose(code, reason));
    }

    private void answerClose(int code, String reason) {
        if (closeFrameReceived || closeEventRaised) {
            return;
        }
        closeFrameReceived = true;
        receivedCode = code < 0 ? CloseCodes.NO_STATUS : code;
        receivedReason = reason == null ? "" : reason;
        socket.closingStarted();
        if (out.sealed()) {
            channel.close();
        } else {
            // RFC 6455 5.5.1: answer with a close frame that echoes the status code.
            out.close(code, receivedReason).addListener(ChannelFutureListener.CLOSE);
            // A client that sent its close frame and stopped reading would keep our answer (and the socket) waiting
            // forever: it gets close-timeout to take it, then the connection is reset.
            if (closeTimer == null) {
                closeTimer = channel.eventLoop().schedule(this::reset, closeTimeoutMillis, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The peer broke the protocol: fail the connection once earlier messages' listeners have run. */
    void onViolation(int code, String reason, String message, Throwable cause) {
        afterQueuedEvents(() -> fail(code, reason, message, cause));
    }

    /** Starts a server-initiated close and waits up to close-timeout for the client's answer. */
    void start(int code, String reason) {
        if (out.sealed() || !channel.isActive()) {
            return;
        }
        out.close(code, reason);
        if (closeFrameReceived) {
            channel.close();
        } else {
            closeTimer = channel.eventLoop().schedule(() -> {
                LOG.debugf("Socket %s: no close frame from the client within the close timeout", socket.id());
                reset(); // what it did not take of ours is dropped with it, here and in the kernel
            }, closeTimeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Fails the connection: the script sees {@code error}, then {@code close} with this code and
     * {@code wasClean=false}. The close frame is sent and the connection dropped without waiting for the
     * client, so a dead or hostile peer holds nothing.
     */
    void fail(int code, String reason, String errorMessage, Throwable cause) {
        if (failed || closeEventRaised) {
            return;
        }
        failed = true;
        failureCode = code;
        failureReason = reason;
        socket.failing();
        socket.raiseError(new ErrorEvent(errorMessage, cause, socket));
        boolean peerIsTalking = code == CloseCodes.PROTOCOL_ERROR || code == CloseCodes.INVALID_PAYLOAD
                || code == CloseCodes.MESSAGE_TOO_BIG;
        ChannelFuture closeFrame = null;
        if (!out.sealed() && channel.isActive()) {
            ChannelFuture sent = out.close(code, reason);
            closeFrame = sent;
            if (peerIsTalking && channel instanceof DuplexChannel duplex) {
                // The client is still sending (say the rest of an oversized message). Closing now, with its
                // bytes unread, would make the kernel answer with a reset that can destroy our close frame
                // before the client reads it. So: send the close frame, half-close, read and drop what still
                // comes for a moment, then close.
                channel.config().setAutoRead(true);
                sent.addListener(f -> duplex.shutdownOutput());
                closeTimer = channel.eventLoop().schedule(() -> {
                    if (sent.isSuccess()) {
                        channel.close();
                    } else {
                        reset(); // it does not even take our close frame
                    }
                }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
        }
        if (!channel.isActive()) {
            return;
        }
        // A dead peer (no pong), one that does not read (1008), or one closed for the server's budget (1013) must not
        // hold the connection. Once our close frame has left (or at the latest after a grace), the connection is
        // reset, which drops what it left unread in our kernel's buffers too: a graceful close would leave an
        // orphaned socket holding them until the kernel gives up on a peer that never opens its window.
        socket.stopReading(); // what it sends now is dropped unread: the reset discards it
        closeTimer = channel.eventLoop().schedule(this::reset, ABORT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        if (closeFrame != null) {
            closeFrame.addListener(f -> {
                if (f.isSuccess() && closeTimer != null && closeTimer.cancel(false)) {
                    // A moment for it to reach a peer that does read (it then closes first), then the reset.
                    closeTimer = channel.eventLoop().schedule(this::reset, SENT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
                }
            });
        }
    }

    /** Drops the connection with a reset (SO_LINGER 0): nothing queued for the peer is kept, here or in the kernel. */
    private void reset() {
        if (channel.isActive()) {
            try {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                LOG.debugf("Socket %s: could not set SO_LINGER before the reset: %s", socket.id(), e);
            }
            channel.close();
        }
    }

    /** The connection is gone: raise the one close event, with its true cause. */
    void onDisconnected() {
        if (closeEventRaised) {
            return;
        }
        closeEventRaised = true;
        if (closeTimer != null) {
            closeTimer.cancel(false);
        }
        CloseEvent event;
        if (failed) {
            event = new CloseEvent(failureCode, failureReason, false, socket);
        } else if (closeFrameReceived) {
            event = new CloseEvent(receivedCode, receivedReason, out.sealed(), socket);
        } else if (closeFramePending) {
            // The close frame came, then the connection ended before its turn: a clean close all the same if
            // ours had been sent (the close event still follows the queued events).
            event = new CloseEvent(pendingCode, pendingReason, out.sealed(), socket);
        } else {
            socket.raiseError(new ErrorEvent("The connection was lost without a close frame.", null, socket));
            event = new CloseEvent(CloseCodes.ABNORMAL, "", false, socket);
        }
        socket.closed(event);
    }

    /**
     * Runs {@code action} on the event loop once the socket's events queued so far have run (worker
     * dispatch), or within close-timeout at the latest; at once with event-loop dispatch.
     */
    private void afterQueuedEvents(Runnable action) {
        if (!socket.workerDispatch()) {
            action.run();
            return;
        }
        Once once = new Once(action);
        once.timer = channel.eventLoop().schedule(once, closeTimeoutMillis, TimeUnit.MILLISECONDS);
        socket.events().execute(() -> channel.eventLoop().execute(once));
    }

    /** An action that runs the first time it is called, on the event loop; its timer goes with it. */
    private static final class Once implements Runnable {
        private Runnable action;
        ScheduledFuture<?> timer;

        Once(Runnable action) {
            this.action = action;
        }

        @Override
        public void run() {
            Runnable a = action;
            if (a != null) {
                action = null;
                timer.cancel(false);
                a.run();
            }
        }
    }
}
