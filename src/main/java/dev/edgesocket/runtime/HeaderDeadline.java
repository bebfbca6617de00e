package dev.edgesocket.runtime;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;

/**
 * A hard deadline for a request's headers, first in every plain HTTP connection's pipeline: from the
 * moment the connection is accepted (and again whenever a response has ended) the client has
 * {@code edgesocket.http.header-timeout} to send a whole request head. A client that sent part of one is
 * answered 408 and dropped; a silent one is dropped. Unlike an idle timer, a byte every few seconds does
 * not extend it (slowloris). Removed from connections that become WebSockets. On the channel's event loop.
 */
final class HeaderDeadline extends ChannelDuplexHandler {

    static final String NAME = "edgesocket-header-deadline";

    private final long timeoutMillis;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private boolean scanning;
    private boolean received;
    /** The last bytes seen, to find CR LF CR LF across reads. */
    private int tail;

    HeaderDeadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        if (context.channel().isActive()) {
            arm();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        arm();
        super.channelActive(context);
    }

    /** A new request head is due now: after accept, and after each response on a kept-alive connection. */
    void arm() {
        cancel();
        scanning = true;
        received = false;
        tail = 0;
        timer = ctx.executor().schedule(this::expire, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) throws Exception {
        if (scanning && msg instanceof ByteBuf in && in.isReadable()) {
            received = true;
            scan(in);
        }
        super.channelRead(context, msg);
    }

    private void scan(ByteBuf in) {
        int t = tail;
        for (int i = in.readerIndex(), end = in.writerIndex(); i < end; i++) {
            t = (t << 8) | (in.getByte(i) & 0xFF);
            if (t == 0x0D0A0D0A || (t & 0xFFFF) == 0x0A0A) {
                scanning = false; // the head is complete: the deadline is met
                cancel();
                return;
            }
        }
        tail = t;
    }

    private void expire() {
        timer = null;
        if (!scanning || !ctx.channel().isActive()) {
            return;
        }
        if (received) {
            String sentence = "The request's headers did not arrive within " + timeoutMillis + " ms.\n";
            byte[] body = sentence.getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                    + body.length + "\r\nConnection: close\r\n\r\n";
            ctx.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.ISO_8859_1), body))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        cancel();
        super.channelInactive(context);
    }
}
