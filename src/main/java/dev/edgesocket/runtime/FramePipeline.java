package dev.edgesocket.runtime;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Puts our frame reader into a freshly upgraded connection, in place of the WebSocket decoder the
 * handshake installed, in front of Undertow's own frame handler (which then never sees a frame).
 * <p>
 * Why our own: on its own the Jakarta stack accepts invalid UTF-8 (turned into U+FFFD), decodes each
 * fragment of a text message separately, buffers fragmented messages without a bound, has one
 * build-time frame limit for every endpoint and reports 1001 for every close; and Netty's decoder,
 * which we used before, waits for a whole frame before anything can check it (so invalid UTF-8 in a
 * large frame was found only at its end) and accepts close codes of 5000 and above.
 * {@link FrameReader} checks every byte as it arrives, with the zone's limits.
 */
final class FramePipeline {

    static final String DECODER = "ws-decoder";

    private FramePipeline() {
    }

    /** Must run on the channel's event loop, in the same task that completed the upgrade. */
    static void install(Channel channel, FrameReader reader) {
        ChannelPipeline pipeline = channel.pipeline();
        // Safe to swap: the old decoder has read nothing yet, as this runs in the upgrade's own task.
        pipeline.replace(DECODER, DECODER, reader);
        // Quarkus' HTTP idle timeout (quarkus.http.idle-timeout) stays on the connection after the upgrade;
        // it would cut a socket whose zone disabled pings and max-idle. The heartbeat is the policy here,
        // and one handler less touches every frame.
        if (pipeline.get(IdleStateHandler.class) != null) {
            pipeline.remove(IdleStateHandler.class);
        }
        // Nor does the deadline for request heads: a WebSocket sends frames, not requests.
        if (pipeline.get(HeaderDeadline.NAME) != null) {
            pipeline.remove(HeaderDeadline.NAME);
        }
    }
}
