// A chat with the server's bot, in plain JavaScript: async listeners, timers, JSON messages.
// Each socket talks to the bot on its own; a room shared by every socket of the zone needs a channel
// across event loops, which JavaScript zones do not have yet (docs/js.md).
import * as BunnySDK from "@bunny.net/edgescript-sdk";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

BunnySDK.net.http.serve(async (request) => {
  const url = new URL(request.url);
  const nick = url.searchParams.get("nick") || "guest";
  const { response, socket } = request.upgradeWebSocket();
  const reminders = new Set();
  let typing = Promise.resolve();

  const say = (text) => socket.send(JSON.stringify({ from: "bot", text, at: new Date().toISOString() }));

  socket.addEventListener("open", () => say(`Welcome, ${nick}! Try /time, /remind <seconds> <text> or /shout <text>.`));

  socket.addEventListener("message", async (event) => {
    const text = typeof event.data === "string" ? event.data : new TextDecoder().decode(event.data);
    socket.send(JSON.stringify({ from: nick, text, at: new Date().toISOString() }));
    const [command, ...rest] = text.trim().split(/\s+/);
    // The bot "types" for a moment, one answer after the other.
    typing = typing.then(async () => {
      await sleep(50);
      if (command === "/time") {
        say(`It is ${new Date().toISOString()}.`);
      } else if (command === "/remind") {
        const seconds = Number(rest[0]);
        if (!(seconds > 0 && seconds <= 3600)) {
          say("Usage: /remind <seconds, 1-3600> <text>");
          return;
        }
        const id = setTimeout(() => {
          reminders.delete(id);
          say(`Reminder: ${rest.slice(1).join(" ")}`);
        }, seconds * 1000);
        reminders.add(id);
        say(`I will remind you in ${seconds} s.`);
      } else if (command === "/shout") {
        say(rest.join(" ").toUpperCase() + "!");
      } else {
        say(`${nick} said ${text.length} characters.`);
      }
    });
    await typing;
  });

  socket.addEventListener("close", () => {
    for (const id of reminders) clearTimeout(id);
    reminders.clear();
  });

  // Bunny's documented pattern: keep the script alive until the socket closes.
  Bunny.v1.waitUntil(new Promise((resolve) => socket.addEventListener("close", resolve, { once: true })));
  return response;
});
