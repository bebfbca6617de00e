// Chromium through a Pull Zone: a page that the origin serves (src/test/interop/origin/origin.mjs) through the zone
// opens a WebSocket to the same zone, as a site behind edgesocket does, and the origin's ws server answers.
// Usage: node pullzone.mjs http://host:port/ /zone/prefix   (prints "N passed, N failed"; exits 1 on any failure)
import { launch, step, finish } from './harness.mjs';

const [base, prefix] = process.argv.slice(2);
const browser = await launch();
const page = await browser.newPage();
page.setDefaultTimeout(10000);

function equal(actual, expected) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

await step('the origin\'s page comes through the zone', async () => {
  const response = await page.goto(new URL(prefix + '/page.html', base).toString());
  equal(response.status(), 200);
  equal(await page.title(), 'origin page');
  equal(response.headers()['via'] !== undefined, true);
});

await step('a WebSocket to the same zone: handshake, echo, and the browser\'s close with its code', async () => {
  const result = await page.evaluate(async (prefix) => {
    const ws = new WebSocket(new URL(prefix + '/socket?from=page', location.href.replace(/^http/, 'ws')).toString(),
      ['v1']);
    ws.binaryType = 'arraybuffer';
    const closed = new Promise((resolve) => ws.addEventListener('close', (e) => resolve([e.code, e.reason, e.wasClean])));
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error('no open')); });
    const next = () => new Promise((resolve) => ws.addEventListener('message', (e) => resolve(e.data), { once: true }));
    ws.send('handshake');
    const seen = JSON.parse(await next());
    ws.send('héllo from chromium');
    const text = await next();
    ws.send(new Uint8Array([0, 1, 2, 255]));
    const bytes = Array.from(new Uint8Array(await next()));
    ws.close(4000, 'browser done');
    return { protocol: ws.protocol, url: seen.url, origin: seen.headers.origin, pageOrigin: location.origin,
      forwardedHost: seen.headers['x-forwarded-host'], pageHost: location.host, text, bytes, closed: await closed };
  }, prefix);
  equal(result.protocol, 'v1');
  equal(result.url.endsWith(prefix + '/socket?from=page'), true);
  equal(result.origin, result.pageOrigin);
  equal(result.forwardedHost, result.pageHost);
  equal(result.text, 'héllo from chromium');
  equal(result.bytes, [0, 1, 2, 255]);
  equal(result.closed, [4000, 'browser done', true]);
});

await step('the origin\'s close reaches the browser with its code and reason', async () => {
  const closed = await page.evaluate(async (prefix) => {
    const ws = new WebSocket(new URL(prefix + '/socket', location.href.replace(/^http/, 'ws')).toString());
    const closed = new Promise((resolve) => ws.addEventListener('close', (e) => resolve([e.code, e.reason, e.wasClean])));
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error('no open')); });
    ws.send('close:4201:origin done');
    return closed;
  }, prefix);
  equal(closed, [4201, 'origin done', true]);
});

await finish(browser);
