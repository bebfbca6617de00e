// Interop of edgesocket's echo zone with an independent client: Node's `ws`.
// Usage: node interop.mjs http://host:port [/zone-path, default /echo]   (prints "N passed, N failed"; exits 1 on any failure)
import WebSocket from 'ws';
import assert from 'node:assert/strict';

const base = new URL(process.argv[2] ?? 'http://localhost:8080');
const zonePath = process.argv[3] ?? '/echo';
const wsUrl = `ws://${base.host}${zonePath}`;
let passed = 0, failed = 0;

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e.message}`);
  }
}

function connect(protocols) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, protocols);
    const inbox = [];
    const waiters = [];
    ws.on('message', (data, isBinary) => {
      const m = { data, isBinary };
      const w = waiters.shift();
      if (w) w(m); else inbox.push(m);
    });
    ws.closed = new Promise(r => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.next = () => new Promise((res, rej) => {
      const m = inbox.shift();
      if (m) return res(m);
      const t = setTimeout(() => rej(new Error('no message within 10 s')), 10000);
      waiters.push(x => { clearTimeout(t); res(x); });
    });
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
}

function within(promise, what) {
  return Promise.race([promise, new Promise((_, rej) => setTimeout(() => rej(new Error(`${what} within 10 s`)), 10000))]);
}

await check('text is echoed with the prefix', async () => {
  const ws = await connect();
  ws.send('hello from node ✓');
  const m = await ws.next();
  assert.equal(m.isBinary, false);
  assert.equal(m.data.toString(), 'Echo: hello from node ✓');
  ws.close();
  await ws.closed;
});

await check('binary comes back as binary, byte for byte', async () => {
  const ws = await connect();
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  ws.send(bytes);
  const m = await ws.next();
  assert.equal(m.isBinary, true);
  assert.deepEqual(Buffer.from(m.data), bytes);
  ws.close();
  await ws.closed;
});

await check('a fragmented text message is joined', async () => {
  const ws = await connect();
  ws.send('part one, ', { fin: false });
  ws.send('part two', { fin: true });
  const m = await ws.next();
  assert.equal(m.data.toString(), 'Echo: part one, part two');
  ws.close();
  await ws.closed;
});

for (const [code, reason] of [[1000, ''], [4321, 'bye-now'], [4999, 'x'.repeat(123)]]) {
  await check(`a client close ${code} is answered with ${code}`, async () => {
    const ws = await connect();
    ws.close(code, reason);
    const closed = await within(ws.closed, 'close');
    assert.equal(closed.code, code);
  });
}

await check('the reply to a message sent right before the close arrives, 50 of 50', async () => {
  for (let i = 0; i < 50; i++) {
    const ws = await connect();
    ws.send('last words');
    ws.close(1000, 'done');
    const closed = await within(ws.closed, 'close');
    assert.equal(closed.code, 1000);
    const m = await ws.next().catch(() => null);
    assert.ok(m, `run ${i}: no reply before the close`);
    assert.equal(m.data.toString(), 'Echo: last words');
  }
});

await check('permessage-deflate is declined by the echo zone (compression is off by default)', async () => {
  const ws = await connect();
  assert.equal(ws.extensions, '');
  ws.close();
  await ws.closed;
});

await check('a message over the zone limit is closed with 1009', async () => {
  const ws = await connect();
  ws.send(Buffer.alloc(1024 * 1024 + 1));
  const closed = await within(ws.closed, 'close');
  assert.equal(closed.code, 1009);
  assert.equal(closed.reason, 'Message is too large');
});

await check('a subprotocol offer without a zone list is accepted without one', async () => {
  // ws rejects a handshake whose answer lacks a protocol it offered, exactly as browsers do.
  await assert.rejects(connect(['chat']), /no subprotocol/);
});

await check('a plain GET gets 426 with a sentence', async () => {
  const res = await fetch(`http://${base.host}${zonePath}`);
  assert.equal(res.status, 426);
  assert.equal(res.headers.get('upgrade'), 'websocket');
  assert.match(await res.text(), /Upgrade header must contain 'websocket'/);
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
