package dev.edgesocket.js;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

import org.graalvm.polyglot.Value;

import dev.edgesocket.api.BroadcastChannel;
import dev.edgesocket.channels.ChannelHub;
import io.netty.channel.EventLoop;

/**
 * The Java half of the script's {@code BroadcastChannel}: channels opened on the server's hub, their messages
 * raised in the script's context on its loop, and closed with the realm.
 */
final class ChannelBridge {

    /** {@code null} for the context that checks the script at start: it opens no channel. */
    private final EventLoop loop;
    private final Callbacks callbacks;
    private final Natives.Entries entries;
    private final Supplier<ChannelHub> hub;
    // The channels the script opened in this context (closed with it); loop only.
    private final Set<BroadcastChannel> open = new HashSet<>();

    ChannelBridge(EventLoop loop, Callbacks callbacks, Natives.Entries entries, Supplier<ChannelHub> hub) {
        this.loop = loop;
        this.callbacks = callbacks;
        this.entries = entries;
        this.hub = hub;
    }

    /** Opens a channel for {@code new BroadcastChannel(name)}: its handle, or a sentence when it cannot. */
    Object open(String name, Value js) {
        if (loop == null) {
            return "BroadcastChannel can be opened in the handler and in callbacks, not while the script loads.";
        }
        BroadcastChannel channel;
        try {
            channel = hub.get().openOn(name, loop::execute);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return e.getMessage();
        }
        open.add(channel);
        Value dispatch = entries.channelEvent();
        channel.addEventListener("message", e -> {
            Object data = e.data() instanceof String text ? text : ByteBuffer.wrap((byte[]) e.data());
            if (!callbacks.closed()) {
                callbacks.enter(null, () -> dispatch.execute(js, data));
            }
        });
        return channel;
    }

    /** null when posted; else why not. */
    String post(BroadcastChannel channel, String text) {
        try {
            channel.postMessage(text);
            return null;
        } catch (IllegalArgumentException | IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** null when posted; else why not. */
    String post(BroadcastChannel channel, byte[] bytes) {
        try {
            channel.postMessage(bytes);
            return null;
        } catch (IllegalArgumentException | IllegalStateException e) {
            return e.getMessage();
        }
    }

    void close(BroadcastChannel channel) {
        open.remove(channel);
        channel.close();
    }

    /** Closes every channel the script left open (on the loop, when the realm closes). */
    void closeAll() {
        open.forEach(BroadcastChannel::close);
        open.clear();
    }
}
