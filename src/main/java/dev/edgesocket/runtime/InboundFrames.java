package dev.edgesocket.runtime;

import io.netty.buffer.ByteBuf;

/**
 * What {@link FrameReader} and {@link MessageAssembler} hand on, and ask, of the socket whose frames they read: whole
 * messages and control frames, the client's violations, and the flow of reading. Every call is on the
 * connection's event loop.
 */
interface InboundFrames {

    /** The socket's id, for the log. */
    String id();

    // ------------------------------------------------------------------ what the client sent

    /** A whole message; the payload is released by the caller once this returns. */
    void onMessage(boolean text, ByteBuf payload);

    /** A ping: answer it ({@code payload} is reused by the caller: copy what is kept). */
    void onPing(byte[] payload, int length);

    /** A pong ({@code payload} is reused by the caller). */
    void onPong(byte[] payload, int length);

    /** The client's close frame ({@code code < 0}: none in it). Nothing more is read. */
    void onCloseFrame(int code, String reason);

    /** The client broke the protocol: close with {@code code}, after earlier messages' listeners. */
    void violation(int code, String reason, String message);

    /** The server failed reading: fail the connection at once. */
    void failNow(int code, String reason, String message, Throwable cause);

    /** The connection is gone. */
    void onDisconnected();

    // ------------------------------------------------------------------ the flow of reading

    /** The connection's read began (or kept bytes are parsed): replies are flushed once it completes. */
    void readStarted();

    /** The read completed. */
    void readCompleted();

    /** The connection's read loop ended: a new turn, whose messages count afresh against the yield. */
    void newTurn();

    /** True while reading is paused: asked before each frame, and the rest is kept until resumed. */
    boolean readingPaused();

    /** The assembler inflated {@code bytes} of a compressed message (against the compression budget). */
    void inflated(long bytes);

    /** The assembler's buffer grew ({@code delta > 0}) or was handed off or freed: the server's budget counts it. */
    void assembling(long delta);
}
