// The chat example's rooms in TypeScript, with the web-standard BroadcastChannel: /room-ts?room=lobby&user=ada.
// It speaks the Java chat's JSON on the same channels (room:<name>), so clients of /chat and /room-ts share rooms,
// on every server.
import * as BunnySDK from "@bunny.net/edgescript-sdk";

const ROOM = /^[A-Za-z0-9_-]{1,64}$/;

BunnySDK.net.http.serve(async (request: Request): Promise<Response> => {
  const url = new URL(request.url);
  const room = url.searchParams.get("room") ?? "";
  const user = (url.searchParams.get("user") ?? "").trim();
  if (!ROOM.test(room)) {
    return new Response("Name a room with ?room=: 1 to 64 letters, digits, '-' or '_'.", { status: 400 });
  }
  if (user.length === 0 || user.length > 32) {
    return new Response("Name yourself with &user=: 1 to 32 characters.", { status: 400 });
  }
  const { response, socket } = request.upgradeWebSocket();
  const channel = new BroadcastChannel("room:" + room);
  const announce = (type: string) => JSON.stringify({ type, room, user, at: Date.now() });

  // What the others post reaches this client; a channel never hands its own posts back.
  channel.onmessage = (event: MessageEvent) => socket.send(event.data as string);
  socket.addEventListener("open", () => {
    channel.postMessage(announce("join"));
    socket.send(announce("welcome"));
  });
  socket.addEventListener("message", (event: MessageEvent) => {
    if (typeof event.data !== "string") {
      socket.close(1003, "This chat takes text messages.");
      return;
    }
    channel.postMessage(JSON.stringify({ type: "message", room, user, text: event.data, at: Date.now() }));
  });
  socket.addEventListener("close", () => {
    channel.postMessage(announce("leave"));
    channel.close();
  });
  return response;
});
