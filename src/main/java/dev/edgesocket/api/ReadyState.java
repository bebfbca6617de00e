package dev.edgesocket.api;

/** The WHATWG {@code readyState} of a socket, with its numeric value. */
public enum ReadyState {
    CONNECTING(0), OPEN(1), CLOSING(2), CLOSED(3);

    private final int value;

    ReadyState(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
