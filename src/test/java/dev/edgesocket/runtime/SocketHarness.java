package dev.edgesocket.runtime;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.inject.Instance;

import dev.edgesocket.api.EventType;
import dev.edgesocket.heartbeat.HeartbeatScheduler;
import dev.edgesocket.metrics.EdgesocketMetrics;
import dev.edgesocket.zone.Admission;
import dev.edgesocket.zone.Place;
import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.zone.SessionDirectory;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;

/**
 * A real {@link EdgeWebSocket}, bound to an {@link EmbeddedChannel} as the Jakarta handshake would bind it, so that
 * the real {@link FrameReader} and {@link MessageAssembler} read what a test writes, with no server. The test sees
 * what a script sees (message events) and what the client would get (pongs, the close frame).
 * <p>
 * Everything that knows how these classes are put together is here: when the socket's construction changes, this
 * is the one place to follow it.
 */
final class SocketHarness {

    private static final SocketRuntime RUNTIME = runtime();

    final EmbeddedChannel channel;
    final EdgeWebSocket socket;
    /** What the script received: a String for text, a byte[] for binary. */
    final List<Object> messages = new ArrayList<>();
    final List<byte[]> pongs = new ArrayList<>();
    /** The status code of the close frame the server sent, or null. */
    Integer closeCode;
    /** Messages that reached the script after the server had sent its close frame (must stay 0). */
    int messagesAfterClose;

    SocketHarness(long maxMessageSize, int maxFragments, PerMessageDeflate.Agreement deflate) {
        ZoneSettings settings = new ZoneSettings(true, List.of(), Duration.ZERO, Duration.ZERO, 0, maxMessageSize,
                Long.MAX_VALUE / 4, maxFragments, deflate != null, List.of(), false);
        Zone zone = new Zone("fuzz", "/fuzz", request -> null, EdgesocketConfig.Dispatch.EVENT_LOOP, settings);
        socket = new EdgeWebSocket(new SessionDirectory.SessionId(1, "fuzz-1"), zone, settings, "ws://localhost/fuzz",
                null, "", Duration.ZERO, deflate, "127.0.0.1", RUNTIME);
        socket.addEventListener(EventType.MESSAGE, e -> {
            drainOutbound();
            if (closeCode != null) {
                messagesAfterClose++;
            }
            messages.add(e.data());
        });
        channel = new EmbeddedChannel();
        // The handshake leaves Netty's WebSocket decoder under this name; binding puts the FrameReader in its place.
        channel.pipeline().addLast(FramePipeline.DECODER, new ChannelInboundHandlerAdapter());
        socket.bind(channel);
    }

    /** Bytes from the client, as one TCP read. */
    void feed(byte[] chunk) {
        if (channel.isOpen()) {
            channel.writeInbound(Unpooled.wrappedBuffer(chunk.clone()));
            channel.runPendingTasks();
        }
        drainOutbound();
    }

    void drainOutbound() {
        for (Object out; (out = channel.readOutbound()) != null;) {
            if (out instanceof CloseWebSocketFrame close) {
                if (closeCode == null) {
                    closeCode = close.statusCode();
                }
            } else if (out instanceof PongWebSocketFrame pong) {
                pongs.add(ByteBufUtil.getBytes(pong.content()));
            }
            io.netty.util.ReferenceCountUtil.release(out);
        }
    }

    /** Ends the connection and checks that nothing was thrown inside the pipeline. */
    void finish() {
        channel.checkException();
        channel.finishAndReleaseAll();
    }

    private static SocketRuntime runtime() {
        EdgesocketConfig config = proxy(EdgesocketConfig.class);
        Admission admission = zone -> CompletableFuture.completedFuture(Place.held(() -> { }));
        return new SocketRuntime(new WorkerPool(config), new HeartbeatScheduler(),
                new EdgesocketMetrics(new SimpleMeterRegistry()), config, instance(admission),
                instance(proxy(SessionDirectory.class)), new SimpleMeterRegistry());
    }

    /** The few configuration values a socket reads; anything else it asks for is a test that must be updated. */
    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> switch (method.getName()) {
            case "closeTimeout" -> Duration.ofSeconds(1);
            case "threads" -> 1;
            case "workers", "limits" -> proxy(method.getReturnType());
            case "maxQueuedBytes" -> java.util.Optional.empty();
            case "compressionRate" -> new io.quarkus.runtime.configuration.MemorySize(
                    java.math.BigInteger.valueOf(1L << 30)); // the fuzzed frames are never paused for the budget
            case "serverCompressionRate" -> java.util.Optional.of(new io.quarkus.runtime.configuration.MemorySize(
                    java.math.BigInteger.valueOf(1L << 30)));
            case "toString" -> "fuzz " + type.getSimpleName();
            case "hashCode" -> System.identityHashCode(self);
            case "equals" -> self == args[0];
            default -> throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName());
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> Instance<T> instance(T value) {
        return (Instance<T>) Proxy.newProxyInstance(Instance.class.getClassLoader(), new Class<?>[] {Instance.class},
                (self, method, args) -> {
                    if (method.getName().equals("get")) {
                        return value;
                    }
                    throw new UnsupportedOperationException("Instance." + method.getName());
                });
    }
}
