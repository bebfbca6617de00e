// Chromium's own WebSocket client against a JavaScript zone (the TypeScript Quickstart at /echo-ts).
// Usage: node jszone.mjs http://host:port/   (prints "N passed, N failed"; exits 1 on any failure)
import { launch, step, finish } from './harness.mjs';

const [base] = process.argv.slice(2);
const browser = await launch();
const page = await browser.newPage();
page.setDefaultTimeout(10000);
await page.goto(new URL('/q/health/live', base).toString()); // a page of the server's origin

function equal(actual, expected) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

await step('text and binary echo, then a clean close, from the browser', async () => {
  const result = await page.evaluate(async () => {
    const ws = new WebSocket(new URL('/echo-ts', location.href.replace(/^http/, 'ws')).toString());
    ws.binaryType = 'arraybuffer';
    const messages = [];
    const closed = new Promise((resolve) => ws.addEventListener('close', (e) => resolve([e.code, e.wasClean])));
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error('no open')); });
    const next = () => new Promise((resolve) => ws.addEventListener('message', (e) => resolve(e.data), { once: true }));
    ws.send('héllo from chromium');
    messages.push(await next());
    ws.send(new Uint8Array([0, 1, 2, 255]));
    const bytes = await next();
    messages.push(Array.from(new Uint8Array(bytes)));
    ws.close(1000, 'done');
    return { messages, closed: await closed };
  });
  equal(result.messages, ['Echo: héllo from chromium', [0, 1, 2, 255]]);
  equal(result.closed, [1000, true]);
});

await finish(browser);
