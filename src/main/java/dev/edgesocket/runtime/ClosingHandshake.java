package dev.edgesocket.runtime;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.edgesocket.runtime.SocketState.CloseConnection;
import dev.edgesocket.runtime.SocketState.Closed;
import dev.edgesocket.runtime.SocketState.Fail;
import dev.edgesocket.runtime.SocketState.Next;
import dev.edgesocket.runtime.SocketState.SendClose;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;

/**
 * Carries out how one socket ends, whoever ends it: the client's close frame, the script's {@code close()}, a
 * protocol violation, a dead or non-reading peer, or a lost connection. {@link SocketState} decides (who wins,
 * what is raised once); this does it on the connection: the close frame, the timers, the linger and the reset.
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

    /** What ending needs of the socket besides the connection. */
    interface Ending {
        String id();

        /** Raises {@code error}. */
        void raiseError(String message, Throwable cause);

        /** The connection is gone: let go of everything and raise the one {@code close} event. */
        void raiseClose(int code, String reason, boolean wasClean);

        /** Nothing more is read from the client, for good. */
        void stopReading();
    }

    private static final Logger LOG = Logger.getLogger(ClosingHandshake.class);
    /** How long a connection failed for a protocol error may drain the client's last bytes before it is closed. */
    private static final long LINGER_MILLIS = 2000;
    /** How long a failed peer that is not talking may take to read our close frame before the connection is reset. */
    private static final long ABORT_GRACE_MILLIS = 1000;
    /** How long after our close frame was written such a connection is reset, unless the peer closed first. */
    private static final long SENT_GRACE_MILLIS = 100;

    private final SocketState state;
    private final Ending socket;
    private final Channel channel;
    private final Outbound out;
    private final long closeTimeoutMillis;
    /** The socket's events with worker dispatch, which the peer's end waits behind; null on the event loop. */
    private final Executor queuedEvents;

    private ScheduledFuture<?> closeTimer;

    ClosingHandshake(SocketState state, Ending socket, Channel channel, Outbound out, long closeTimeoutMillis,
            Executor queuedEvents) {
        this.state = state;
        this.socket = socket;
        this.channel = channel;
        this.out = out;
        this.closeTimeoutMillis = closeTimeoutMillis;
        this.queuedEvents = queuedEvents;
    }

    /** The client's close frame ({@code code < 0}: none in it): answer it, then drop the connection. */
    void onCloseFrame(int code, String reason) {
        state.closeFrameArrived(code, reason);
        afterQueuedEvents(() -> run(state.closeFrameTurn(code, reason), null, null));
    }

    /** The peer broke the protocol: fail the connection once earlier messages' listeners have run. */
    void onViolation(int code, String reason, String message, Throwable cause) {
        afterQueuedEvents(() -> fail(code, reason, message, cause));
    }

    /** Starts a server-initiated close and waits up to close-timeout for the client's answer. */
    void start(int code, String reason) {
        run(state.closeFrameDue(code, reason, channel.isActive()), null, null);
    }

    /**
     * Fails the connection: the script sees {@code error}, then {@code close} with this code and
     * {@code wasClean=false}. The close frame is sent and the connection dropped without waiting for the
     * client, so a dead or hostile peer holds nothing.
     */
    void fail(int code, String reason, String errorMessage, Throwable cause) {
        run(state.fail(code, reason, channel.isActive()), errorMessage, cause);
    }

    /** The connection is gone: raise the one close event, with its true cause. */
    void onDisconnected() {
        run(state.disconnected(), null, null);
    }

    /** Does what the state machine answered; {@code errorMessage} and {@code cause} go with a failure. */
    private void run(Next next, String errorMessage, Throwable cause) {
        switch (next) {
            case SendClose send -> sendClose(send);
            case CloseConnection c -> channel.close();
            case Fail f -> failConnection(f, errorMessage, cause);
            case Closed c -> {
                if (closeTimer != null) {
                    closeTimer.cancel(false);
                }
                if (c.error() != null) {
                    socket.raiseError(c.error(), null);
                }
                state.closed();
                socket.raiseClose(c.code(), c.reason(), c.wasClean());
            }
            default -> {
                // nothing to do: already done, or too late
            }
        }
    }

    private void sendClose(SendClose send) {
        ChannelFuture sent = out.close(send.code(), send.reason());
        switch (send.after()) {
            case CLOSE_CONNECTION -> channel.close();
            case AWAIT_PEER -> closeTimer = channel.eventLoop().schedule(() -> {
                LOG.debugf("Socket %s: no close frame from the client within the close timeout", socket.id());
                reset(); // what it did not take of ours is dropped with it, here and in the kernel
            }, closeTimeoutMillis, TimeUnit.MILLISECONDS);
            case CLOSE_WHEN_WRITTEN -> {
                sent.addListener(ChannelFutureListener.CLOSE);
                // A client that sent its close frame and stopped reading would keep our answer (and the socket) waiting
                // forever: it gets close-timeout to take it, then the connection is reset.
                if (closeTimer == null) {
                    closeTimer = channel.eventLoop().schedule(this::reset, closeTimeoutMillis, TimeUnit.MILLISECONDS);
                }
            }
        }
    }

    private void failConnection(Fail f, String errorMessage, Throwable cause) {
        socket.raiseError(errorMessage, cause);
        ChannelFuture closeFrame = null;
        if (f.sendCloseFrame()) {
            ChannelFuture sent = out.close(f.code(), f.reason());
            closeFrame = sent;
            if (f.peerIsTalking() && channel instanceof DuplexChannel duplex) {
                // The client is still sending (say the rest of an oversized message). Closing now, with its
                // bytes unread, would make the kernel answer with a reset that can destroy our close frame
                // before the client reads it. So: send the close frame, half-close, read and drop what still
                // comes for a moment, then close.
                channel.config().setAutoRead(true);
                sent.addListener(done -> duplex.shutdownOutput());
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
            closeFrame.addListener(done -> {
                if (done.isSuccess() && closeTimer != null && closeTimer.cancel(false)) {
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

    /**
     * Runs {@code action} on the event loop once the socket's events queued so far have run (worker
     * dispatch), or within close-timeout at the latest; at once with event-loop dispatch.
     */
    private void afterQueuedEvents(Runnable action) {
        if (queuedEvents == null) {
            action.run();
            return;
        }
        Once once = new Once(action);
        once.timer = channel.eventLoop().schedule(once, closeTimeoutMillis, TimeUnit.MILLISECONDS);
        queuedEvents.execute(() -> channel.eventLoop().execute(once));
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
