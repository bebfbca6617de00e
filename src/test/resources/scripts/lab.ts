// The JavaScript zones' test script: each message is a command, each answer a message back.
import * as BunnySDK from "@bunny.net/edgescript-sdk";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

BunnySDK.net.http.serve(async (request: Request): Promise<Response> => {
  const url = new URL(request.url);
  const mode = url.searchParams.get("mode");
  if (mode === "refuse") {
    return new Response("A token is required.", { status: 401, headers: { "WWW-Authenticate": "Bearer" } });
  }
  if (mode === "fail") {
    throw new Error("the handler broke on purpose");
  }
  await Promise.resolve(); // an async handler that awaits settles in its own turn
  if (url.searchParams.has("delay")) await sleep(Number(url.searchParams.get("delay"))); // settles later
  if (mode === "late") return new Response("late", { status: 200 });
  if (mode === "never") await new Promise<void>(() => {});
  const options: { protocol?: string; idleTimeout?: number } = {};
  if (url.searchParams.has("protocol")) options.protocol = url.searchParams.get("protocol")!;
  const { response, socket } = request.upgradeWebSocket(options);
  let onceCount = 0;
  socket.addEventListener("message", () => { onceCount++; }, { once: true });

  socket.addEventListener("message", (event: MessageEvent) => {
    if (event.data === "spin") {
      for (;;) {
        // runs away
      }
    }
  });

  socket.addEventListener("message", async (event: MessageEvent) => {
    if (typeof event.data !== "string") {
      socket.send(event.data as ArrayBuffer);
      return;
    }
    const [command, ...rest] = event.data.split(" ");
    const arg = rest.join(" ");
    switch (command) {
      case "close": {
        const [code, ...reason] = rest;
        try {
          socket.close(Number(code), reason.join(" "));
        } catch (e) {
          socket.send(`refused: ${(e as Error).name}`);
        }
        break;
      }
      case "once":
        socket.send(`once ran ${onceCount} time(s)`);
        break;
      case "later":
        await sleep(Number(rest[0]));
        socket.send(`later: ${rest.slice(1).join(" ")}`);
        break;
      case "ticks": {
        let n = 0;
        const id = setInterval(() => {
          n++;
          socket.send(`tick ${n}`);
          if (n === 3) clearInterval(id);
        }, 20);
        break;
      }
      case "order": {
        const seen: string[] = [];
        setTimeout(() => { seen.push("timeout"); socket.send(seen.join(",")); }, 0);
        queueMicrotask(() => seen.push("microtask"));
        Promise.resolve().then(() => seen.push("promise"));
        seen.push("sync");
        break;
      }
      case "throw":
        throw new Error("a listener broke on purpose");
      case "web": {
        const bytes = new TextEncoder().encode("héllo");
        const back = new TextDecoder().decode(bytes);
        const u = new URL("/path/x?a=1&b=two%20words#h", "https://example.com:8443/base");
        const blob = new Blob(["ab", new Uint8Array([99])], { type: "text/plain" });
        const uuid = crypto.randomUUID();
        socket.send(JSON.stringify({
          bytes: bytes.length, back, href: u.href, host: u.host, b: u.searchParams.get("b"),
          blob: await blob.text(), blobSize: blob.size, uuid: /^[0-9a-f-]{36}$/.test(uuid),
          readyState: socket.readyState, open: socket.readyState === WebSocket.OPEN, protocol: socket.protocol,
          url: socket.url.startsWith("ws://"), binaryType: socket.binaryType,
          headers: request.headers.get("sec-websocket-version"), method: request.method,
        }));
        break;
      }
      case "blob":
        socket.send(new Blob([arg]));
        break;
      case "view":
        socket.send(new TextEncoder().encode(arg).subarray(1));
        break;
      case "java":
        socket.send(String(typeof (globalThis as any).Java) + " " + String(typeof (globalThis as any).Polyglot?.eval)
          + " " + String(typeof (globalThis as any).load) + " " + String(typeof (globalThis as any).print));
        break;
      case "waitUntil":
        Bunny.v1.waitUntil(new Promise<void>((resolve) => socket.addEventListener("close", () => resolve())));
        socket.send("waiting");
        break;
      case "spin":
        break;
      default:
        socket.send(`unknown: ${event.data}`);
    }
  });
  return response;
});

declare const Bunny: { v1: { waitUntil(p: Promise<unknown>): void } };
