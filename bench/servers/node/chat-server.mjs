// Reference for bench/fanout.sh: the chat example (src/main/java/dev/edgesocket/examples/ChatScript.java) on Node's
// ws, one process, with the plain loop over the room's clients one writes first. /chat?room=<name>&user=<name>:
// "welcome" to the newcomer, "join" and "leave" to the others, and a text message to every other client of the
// room as {"type":"message","room","user","text","at"}, never back to its sender.
// Usage: node chat-server.mjs [port]
import { WebSocketServer, WebSocket } from 'ws';

const port = Number(process.argv[2] ?? 8080);
const ROOM = /^[A-Za-z0-9_-]{1,64}$/;
const rooms = new Map(); // room name -> Set of its sockets
const wss = new WebSocketServer({ port, path: '/chat', maxPayload: 16 * 1024 });

function toOthers(members, sender, data) {
  for (const client of members) {
    if (client !== sender && client.readyState === WebSocket.OPEN) {
      client.send(data);
    }
  }
}

function announce(type, room, user) {
  return JSON.stringify({ type, room, user, at: Date.now() });
}

wss.on('connection', (ws, req) => {
  const query = new URL(req.url, 'http://localhost').searchParams;
  const room = query.get('room') ?? '';
  const user = (query.get('user') ?? '').trim();
  if (!ROOM.test(room) || user.length === 0 || user.length > 32) {
    ws.close(1008, 'Name a room with ?room= and yourself with &user=.');
    return;
  }
  let members = rooms.get(room);
  if (!members) {
    members = new Set();
    rooms.set(room, members);
  }
  members.add(ws);
  toOthers(members, ws, announce('join', room, user));
  ws.send(announce('welcome', room, user));
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      ws.close(1003, 'This chat takes text messages.');
      return;
    }
    toOthers(members, ws, JSON.stringify({ type: 'message', room, user, text: data.toString(), at: Date.now() }));
  });
  ws.on('close', () => {
    members.delete(ws);
    if (members.size === 0 && rooms.get(room) === members) {
      rooms.delete(room);
    }
    toOthers(members, ws, announce('leave', room, user));
  });
});
wss.on('listening', () => console.log(`node ws chat listening on ${port}`));
process.on('SIGTERM', () => process.exit(0));
