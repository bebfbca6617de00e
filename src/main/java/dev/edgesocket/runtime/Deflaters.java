package dev.edgesocket.runtime;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The compressors for outgoing permessage-deflate messages, shared by every socket. The server never
 * takes over its context (see {@link PerMessageDeflate}), so a compressor is borrowed for one message,
 * reset, and given back: memory follows the threads sending at once, not the sockets open. A bounded
 * number wait idle; the rest are ended at once.
 */
final class Deflaters implements AutoCloseable {

    /** What a sync flush ends with; RFC 7692 7.2.1 has the sender remove it. */
    private static final int TAIL_LENGTH = 4;

    private final ConcurrentLinkedQueue<Deflater> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final int maxIdle;
    private volatile boolean closed;

    Deflaters(int maxIdle) {
        this.maxIdle = maxIdle;
    }

    /** The readable bytes of {@code input} as one raw-deflate message without its tail; input is not released. */
    ByteBuf compress(ByteBufAllocator alloc, ByteBuf input) {
        Deflater deflater = borrow();
        ByteBuf out = alloc.heapBuffer(Math.max(64, input.readableBytes() / 2 + 16));
        try {
            deflater.setInput(input.nioBuffer());
            for (;;) {
                out.ensureWritable(Math.max(256, out.writableBytes()));
                int room = out.writableBytes();
                int n = deflater.deflate(out.array(), out.arrayOffset() + out.writerIndex(), room, Deflater.SYNC_FLUSH);
                out.writerIndex(out.writerIndex() + n);
                if (n < room) {
                    break; // a sync flush that did not fill the room has written everything
                }
            }
            out.writerIndex(out.writerIndex() - TAIL_LENGTH);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        } finally {
            giveBack(deflater);
        }
    }

    private Deflater borrow() {
        Deflater deflater = idle.poll();
        if (deflater != null) {
            idleCount.decrementAndGet();
            return deflater;
        }
        return new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    }

    private void giveBack(Deflater deflater) {
        deflater.reset();
        if (!closed && idleCount.incrementAndGet() <= maxIdle) {
            idle.add(deflater);
        } else {
            idleCount.decrementAndGet();
            deflater.end();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Deflater d; (d = idle.poll()) != null;) {
            d.end();
        }
    }
}
