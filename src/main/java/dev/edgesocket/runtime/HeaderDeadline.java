package dev.edgesocket.runtime;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * A hard deadline for what a connection owes the server, in every accepted connection's pipeline (first, or
 * right after TLS, so that it reads plaintext): from the moment the connection is accepted, the client has
 * {@code edgesocket.http.header-timeout} to send a whole request head, and again after each response that
 * did not switch protocols (a refused upgrade included). A client that sent part of a head is answered 408
 * and dropped; a silent one is dropped. Unlike an idle timer, a byte every few seconds does not extend it
 * (slowloris). On HTTP/2 the deadline runs while the client has no stream open: PINGs and SETTINGS are not
 * requests. Removed from connections that become WebSockets. On the channel's event loop, like every
 * method here.
 */
final class HeaderDeadline extends ChannelInboundHandlerAdapter {

    static final String NAME = "edgesocket-header-deadline";

    /** What an HTTP/2 client sends first (RFC 9113 §3.4), with prior knowledge or after TLS chose h2. */
    private static final byte[] H2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** The preface's first CR LF CR LF ends here: read as HTTP/1, the head "PRI * HTTP/2.0" would be whole. */
    private static final int H2_PREFACE_HEAD_END = 18;

    private enum Phase {
        /** HTTP/1: a request head is due; the timer runs. */
        AWAITING_HEAD,
        /** HTTP/1: a head arrived; no deadline until its response has ended. */
        SERVING,
        /** HTTP/2: the timer runs while the client has no stream open. */
        HTTP2
    }

    /** What a read completed. */
    private enum Found {
        NOTHING, HEAD, H2_PREFACE
    }

    private final long timeoutMillis;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private Phase phase = Phase.AWAITING_HEAD;
    private boolean removed;
    /** A byte of a request line arrived (what comes before one, such as blank lines, does not count). */
    private boolean received;
    /** The last bytes of the head seen, to find CR LF CR LF across reads. */
    private int tail;
    /** How many bytes of the head so far match the HTTP/2 preface; -1 once one did not. */
    private int prefaceMatched;
    /** Requests seen on an HTTP/1 connection, so that the end of an older response does not re-arm a newer one. */
    private int requests;
    /** On HTTP/2: the client's side of the connection, which counts its open streams. */
    private Http2Connection.Endpoint<?> clientStreams;

    HeaderDeadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        if (context.channel().isActive()) {
            awaitHead();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        if (timer == null && phase == Phase.AWAITING_HEAD) {
            awaitHead();
        }
        super.channelActive(context);
    }

    /** A new request head is due now: after accept, and after each response on a kept-alive connection. */
    private void awaitHead() {
        phase = Phase.AWAITING_HEAD;
        received = false;
        tail = 0;
        prefaceMatched = 0;
        startTimer();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) throws Exception {
        // Scanned before it is passed on: the handlers after this one release the buffer.
        Found found = phase == Phase.AWAITING_HEAD && msg instanceof ByteBuf in ? scan(in) : Found.NOTHING;
        if (found == Found.HEAD) {
            headArrived();
        }
        context.fireChannelRead(msg);
        if (found == Found.H2_PREFACE) {
            // Vert.x has read the preface by now and, where HTTP/2 is on, put its HTTP/2 handler in the pipeline.
            Http2ConnectionHandler http2 = context.pipeline().get(Http2ConnectionHandler.class);
            if (http2 != null) {
                watchStreams(http2.connection());
            } else {
                headArrived(); // HTTP/2 is off: an HTTP/1 request "PRI *", which HTTP/1 answers
            }
        }
    }

    private Found scan(ByteBuf in) {
        int t = tail;
        for (int i = in.readerIndex(), end = in.writerIndex(); i < end; i++) {
            int b = in.getByte(i) & 0xFF;
            if (!received) {
                if (b <= ' ') {
                    // Netty skips control characters and spaces before a request line (RFC 9112 §2.2 lets a server
                    // ignore blank lines there): they begin no request, and CR LF CR LF among them ends none.
                    continue;
                }
                received = true;
            }
            t = (t << 8) | b;
            if (prefaceMatched >= 0) {
                if (b == H2_PREFACE[prefaceMatched]) {
                    if (++prefaceMatched == H2_PREFACE.length) {
                        return Found.H2_PREFACE;
                    }
                    continue; // the preface's own CR LF CR LF does not end a head
                }
                boolean headEnded = prefaceMatched >= H2_PREFACE_HEAD_END;
                prefaceMatched = -1;
                if (headEnded) {
                    return Found.HEAD; // "PRI * HTTP/2.0" and its blank line, then something else: HTTP/1
                }
            }
            if (t == 0x0D0A0D0A || (t & 0xFFFF) == 0x0A0A) {
                return Found.HEAD;
            }
        }
        tail = t;
        return Found.NOTHING;
    }

    private void headArrived() {
        phase = Phase.SERVING;
        cancel();
    }

    /**
     * Called for every HTTP/1 request the request filter sees: its head is complete, whether or not the scan
     * saw it end (a pipelined head came in an earlier read). Returns the request's number for
     * {@link #responseEnded}.
     */
    int requestStarted() {
        if (phase == Phase.AWAITING_HEAD) {
            headArrived();
        }
        return ++requests;
    }

    /**
     * The response to request number {@code request} has ended without switching protocols (a refused upgrade
     * included): the next head is due within the deadline, unless a later request has begun meanwhile.
     */
    void responseEnded(int request) {
        if (!removed && phase == Phase.SERVING && request == requests && ctx.channel().isActive()) {
            awaitHead();
        }
    }

    /**
     * The connection speaks HTTP/2: from now on the deadline runs while the client has no stream open, and
     * starts again when its last stream closes. Idempotent.
     */
    void watchStreams(Http2Connection connection) {
        if (removed || phase == Phase.HTTP2) {
            return;
        }
        phase = Phase.HTTP2;
        clientStreams = connection.remote();
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamActive(Http2Stream stream) {
                streamsChanged();
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                streamsChanged();
            }
        });
        streamsChanged();
    }

    private void streamsChanged() {
        if (removed || !ctx.channel().isActive()) {
            return;
        }
        if (clientStreams.numActiveStreams() > 0) {
            cancel();
        } else if (timer == null) {
            startTimer(); // a timer still running since accept keeps running: no stream has come yet
        }
    }

    private void startTimer() {
        cancel();
        timer = ctx.executor().schedule(this::expire, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void expire() {
        timer = null;
        if (removed || !ctx.channel().isActive()) {
            return;
        }
        switch (phase) {
            case AWAITING_HEAD -> {
                if (received) {
                    answer408();
                } else {
                    ctx.close();
                }
            }
            case HTTP2 -> {
                if (clientStreams.numActiveStreams() == 0) {
                    // Through the whole pipeline, so that Netty's HTTP/2 handler sends GOAWAY before it closes.
                    ctx.channel().close();
                }
            }
            case SERVING -> {
                // a request is being served: its response re-arms the deadline
            }
        }
    }

    private void answer408() {
        String sentence = "The request's headers did not arrive within " + timeoutMillis + " ms.\n";
        byte[] body = sentence.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        // From here towards the socket: through TLS when there is TLS, and past the HTTP codec, which is
        // in the middle of a request it will never finish.
        ctx.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.ISO_8859_1), body))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        removed = true;
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        cancel();
        super.channelInactive(context);
    }
}
