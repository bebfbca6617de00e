package dev.edgesocket.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.jboss.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Owns every frame of one connection after the decoder and UTF-8 validator: joins fragments into
 * whole messages within the zone's size limit, answers pings, hands pongs to the heartbeat and close
 * frames to the closing handshake, and turns decoder failures into the right RFC 6455 close code.
 * Nothing is passed on to Undertow's frame handler. Runs on the connection's event loop only.
 */
final class InboundFrameHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(InboundFrameHandler.class);
    static final String TOO_LARGE = "Message is too large";

    private final EdgeWebSocket socket;
    private final long maxMessageSize;
    private CompositeByteBuf fragments;
    private boolean fragmentedText;

    InboundFrameHandler(EdgeWebSocket socket, long maxMessageSize) {
        this.socket = socket;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        socket.readStarted();
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                onDataFrame(ctx, frame, frame instanceof TextWebSocketFrame);
            } else if (frame instanceof ContinuationWebSocketFrame) {
                onContinuation(frame);
            } else if (frame instanceof PingWebSocketFrame) {
                socket.onPing(frame.content());
            } else if (frame instanceof PongWebSocketFrame) {
                socket.onPong(frame.content());
            } else if (frame instanceof CloseWebSocketFrame close) {
                socket.onCloseFrame(close.statusCode(), close.reasonText());
            }
        } finally {
            frame.release();
        }
    }

    private void onDataFrame(ChannelHandlerContext ctx, WebSocketFrame frame, boolean text) {
        if (frame.isFinalFragment()) {
            socket.onMessage(text, frame.content());
            return;
        }
        // The decoder guarantees no data frame starts inside a fragmented message (RFC 6455 5.4).
        fragments = ctx.alloc().compositeBuffer(64);
        fragmentedText = text;
        fragments.addComponent(true, frame.content().retain());
    }

    private void onContinuation(WebSocketFrame frame) {
        if (fragments == null) {
            return; // only after a failure that already dropped the message
        }
        long size = (long) fragments.readableBytes() + frame.content().readableBytes();
        if (size > maxMessageSize) {
            releaseFragments();
            socket.fail(CloseCodes.MESSAGE_TOO_BIG, TOO_LARGE,
                    "A fragmented message passed the zone's max-message-size of " + maxMessageSize + " bytes.", null);
            return;
        }
        fragments.addComponent(true, frame.content().retain());
        if (frame.isFinalFragment()) {
            try {
                socket.onMessage(fragmentedText, fragments);
            } finally {
                releaseFragments();
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        socket.readCompleted();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        releaseFragments();
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            int code = corrupted.closeStatus().code();
            String reason = code == CloseCodes.MESSAGE_TOO_BIG ? TOO_LARGE : reasonOf(corrupted, code);
            socket.fail(code, reason, "Protocol violation: " + corrupted.getMessage(), corrupted);
        } else if (cause instanceof IOException) {
            // Reset by peer and the like: the connection is gone; channelInactive raises the close event.
            LOG.debugf("Socket %s: %s", socket.id(), cause.getMessage());
            ctx.close();
        } else {
            LOG.warnf(cause, "Socket %s failed", socket.id());
            socket.fail(CloseCodes.INTERNAL_ERROR, "Internal error", "The server failed: " + cause, cause);
        }
    }

    private static String reasonOf(CorruptedWebSocketFrameException e, int code) {
        String reason = e.getMessage() != null ? e.getMessage() : "Protocol error " + code;
        // A close reason must fit 123 bytes of UTF-8; Netty's messages are ASCII.
        return reason.getBytes(StandardCharsets.UTF_8).length <= CloseCodes.MAX_REASON_BYTES
                ? reason : reason.substring(0, CloseCodes.MAX_REASON_BYTES);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseFragments();
        socket.onDisconnected();
        ctx.fireChannelInactive();
    }

    private void releaseFragments() {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }
}
