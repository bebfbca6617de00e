package dev.edgesocket.runtime;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;

/**
 * Puts our frame checks into a freshly upgraded connection, in front of Undertow's own frame handler.
 * <p>
 * Why: on its own the Jakarta stack accepts invalid UTF-8 (turned into U+FFFD), decodes each
 * fragment of a text message separately, buffers fragmented messages without a bound, has one
 * build-time frame limit for every endpoint, and reports 1001 for every close. We keep Netty's
 * decoder (masking, opcodes, RSV bits, control frames are checked there) but with the zone's size
 * limit and without its own close reply, add Netty's incremental UTF-8 validator, and let
 * {@link InboundFrameHandler} own every frame from there on.
 */
final class FramePipeline {

    static final String DECODER = "ws-decoder";
    static final String UTF8 = "edgesocket-utf8";
    static final String FRAMES = "edgesocket-frames";

    private FramePipeline() {
    }

    /** Must run on the channel's event loop, in the same task that completed the upgrade. */
    static void install(Channel channel, EdgeWebSocket socket, long maxMessageSize) {
        int maxFrame = (int) Math.min(Integer.MAX_VALUE, maxMessageSize);
        WebSocketDecoderConfig decoderConfig = WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(false) // no extension is negotiated, so any RSV bit is a protocol error
                .maxFramePayloadLength(maxFrame)
                .closeOnProtocolViolation(false) // InboundFrameHandler sends the close frame, with our reason
                .build();
        ChannelPipeline pipeline = channel.pipeline();
        // Safe to swap: the old decoder has read nothing yet, as this runs in the upgrade's own task.
        pipeline.replace(DECODER, DECODER, new WebSocket13FrameDecoder(decoderConfig));
        pipeline.addAfter(DECODER, UTF8, new Utf8FrameValidator(false));
        pipeline.addAfter(UTF8, FRAMES, new InboundFrameHandler(socket, maxMessageSize));
        // Quarkus' HTTP idle timeout (quarkus.http.idle-timeout, 30 min) stays on the connection after the
        // upgrade; it would cut a socket whose zone disabled pings and max-idle. The heartbeat is the policy
        // here, and one handler less touches every frame.
        if (pipeline.get(IdleStateHandler.class) != null) {
            pipeline.remove(IdleStateHandler.class);
        }
    }
}
