// Baseline for bench/compare.sh: Node's ws, serving /echo like the others (text gets "Echo: ", binary back as is).
// Usage: node --expose-gc echo-server.mjs [port]. On SIGUSR2 it collects garbage and prints "HEAP <bytes>" (live
// V8 heap), the counterpart of `jcmd GC.run` + `GC.heap_info` for the JVM servers.
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? 8080);
const wss = new WebSocketServer({ port, path: '/echo', maxPayload: 1 << 20 });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      ws.send(data, { binary: true });
    } else {
      ws.send('Echo: ' + data.toString());
    }
  });
});
wss.on('listening', () => console.log(`node ws echo listening on ${port}`));
process.on('SIGUSR2', () => {
  if (globalThis.gc) {
    globalThis.gc();
  }
  console.log(`HEAP ${process.memoryUsage().heapUsed}`);
});
process.on('SIGTERM', () => process.exit(0));
