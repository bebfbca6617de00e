package dev.edgesocket.runtime;

import dev.edgesocket.origin.WebSocketRelay;

/** What a Pull Zone's relay asks of the client's socket beyond the script API; on the connection's event loop. */
record RelayReads(EdgeWebSocket socket) implements WebSocketRelay.ClientReads {

    @Override
    public void pause() {
        SocketConnection c = socket.connection();
        if (c != null) {
            c.relayPaused(true);
        }
    }

    @Override
    public void resume() {
        SocketConnection c = socket.connection();
        if (c != null) {
            c.relayPaused(false);
        }
    }

    @Override
    public boolean clientStartedClose() {
        SocketConnection c = socket.connection();
        return c != null && c.clientStartedClose();
    }
}
