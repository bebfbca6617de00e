// Bunny's WebSocket Quickstart: the TypeScript echo zone at /echo-ts. One change: each message is logged with
// console.debug (DEBUG), not console.log, so that a flood of messages is no flood of log lines.
import * as BunnySDK from "@bunny.net/edgescript-sdk";

BunnySDK.net.http.serve(async (request: Request): Promise<Response> => {
  const { response, socket } = request.upgradeWebSocket();

  socket.addEventListener("open", () => {
    console.log("Client connected");
  });

  socket.addEventListener("message", (event: MessageEvent) => {
    if (typeof event.data === "string") {
      console.debug(`Received: ${abbreviate(event.data)}`);
      socket.send(`Echo: ${event.data}`);
    } else {
      const bytes = event.data as ArrayBuffer;
      console.debug(`Received: ${bytes.byteLength} bytes`);
      socket.send(bytes); // binary comes back as binary, byte for byte
    }
  });

  socket.addEventListener("close", (event: CloseEvent) => {
    console.log(`Client disconnected: ${event.code} ${event.reason}`);
  });

  return response;
});

/** Keeps a 1 MiB message from flooding the log. */
function abbreviate(text: string): string {
  return text.length <= 200 ? text : `${text.substring(0, 200)}... (${text.length} characters)`;
}
