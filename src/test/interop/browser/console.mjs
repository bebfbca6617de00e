// The console page in a real browser: Debian's Chromium, driven by playwright-core.
// Usage: node console.mjs http://host:port/ <access-key> <screenshot.png>
// Prints "N passed, N failed"; exits 1 on any failure.
import { launch, step, finish } from './harness.mjs';

const [base, key, screenshot] = process.argv.slice(2);

const browser = await launch();
const page = await browser.newPage();
page.setDefaultTimeout(10000);

const text = (selector) => page.textContent(selector);
async function waitText(selector, expected) {
  await page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent.includes(t), [selector, expected]);
}
async function connect(path, protocols) {
  await page.fill('#zone-path', path);
  await page.fill('#subprotocols', protocols ?? '');
  await page.click('#connect');
}
async function saveZone(changes) {
  for (const [name, value] of Object.entries(changes)) {
    const input = `#z-echo-${name}`;
    if (typeof value === 'boolean') {
      await (value ? page.check(input) : page.uncheck(input));
    } else {
      await page.fill(input, String(value));
    }
  }
  // One save at a time: wait for the config API to answer before the next step, and when it accepts the
  // change, for the form to show the saved values again (the page re-renders the zone from the answer).
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/zones/echo') && r.request().method() === 'PATCH'),
    page.click('#save-echo'),
  ]);
  if (!response.ok()) return;
  for (const [name, value] of Object.entries(changes)) {
    await page.waitForFunction(([s, v]) => {
      const input = document.querySelector(s);
      return typeof v === 'boolean' ? input.checked === v : input.value === String(v);
    }, [`#z-echo-${name}`, value]);
  }
}

await step('the page loads without any external resource', async () => {
  const external = [];
  page.on('request', (r) => { if (!r.url().startsWith(base)) external.push(r.url()); });
  await page.goto(new URL('console', base).href);
  await page.waitForSelector('#connect');
  if (external.length) throw new Error('external requests: ' + external.join(', '));
  if (!(await page.isVisible('label[for=zone-path]'))) throw new Error('inputs have labels');
});

await step('connects to /echo offering subprotocols and shows the negotiated one', async () => {
  await connect('/echo', 'v9.unknown, v2.echo');
  await waitText('#ready-state', 'OPEN');
  if ((await text('#protocol')) !== 'v2.echo') throw new Error('protocol was ' + (await text('#protocol')));
});

await step('sends a message and sees the echo', async () => {
  await page.fill('#message', 'hello from chromium');
  await page.click('#send');
  await waitText('#log', 'Echo: hello from chromium');
});

await step('sends JSON and binary', async () => {
  await page.selectOption('#send-mode', 'json');
  await page.fill('#message', '{"a": 1}');
  await page.click('#send');
  await waitText('#log', 'Echo: {"a": 1}');
  await page.selectOption('#send-mode', 'binary');
  await page.fill('#message', '01 02 ff');
  await page.click('#send');
  await waitText('#log', 'binary 01 02 ff');
  await page.selectOption('#send-mode', 'text');
});

await step('closes with 4000 and shows the close as the browser reports it', async () => {
  await page.fill('#close-code', '4000');
  await page.fill('#close-reason', 'bye');
  await page.click('#close');
  await waitText('#last-close', '4000 bye wasClean=true');
  await waitText('#ready-state', 'CLOSED');
});

await step('the admin panel loads zones with the AccessKey', async () => {
  await page.fill('#access-key', key);
  await page.click('#load-zones');
  await page.waitForSelector('#zone-echo');
});

await step('toggling the zone off refuses the next connect, on again accepts it', async () => {
  await saveZone({ enabled: false });
  await connect('/echo');
  await waitText('#last-close', '1006');
  await waitText('#ready-state', 'CLOSED');
  await saveZone({ enabled: true });
  await connect('/echo');
  await waitText('#ready-state', 'OPEN');
});

await step('closes a session from the session list', async () => {
  await page.click('#sessions-echo');
  await page.waitForSelector('[id^=kick-echo-]');
  await page.click('[id^=kick-echo-]');
  await waitText('#last-close', '4001 kicked');
});

await step('a message over max-message-size closes with 1009', async () => {
  await saveZone({ maxMessageSize: 8 });
  await connect('/echo');
  await waitText('#ready-state', 'OPEN');
  await page.fill('#message', 'more than eight bytes');
  await page.click('#send');
  await waitText('#last-close', '1009 Message is too large');
  await saveZone({ maxMessageSize: 1048576 });
});

await step('the browser answers pings: open past the idle timeout', async () => {
  await saveZone({ idleTimeout: 2 });
  await connect('/echo');
  await waitText('#ready-state', 'OPEN');
  await page.waitForTimeout(3500);
  if ((await text('#ready-state')) !== 'OPEN') throw new Error('closed: ' + (await text('#last-close')));
  await page.fill('#message', 'still here');
  await page.click('#send');
  await waitText('#log', 'Echo: still here');
  await saveZone({ idleTimeout: 30 });
});

await step('a socket that sends nothing is closed at max-idle with 1001', async () => {
  await saveZone({ maxIdle: 2 });
  await page.click('#disconnect');
  await waitText('#ready-state', 'CLOSED');
  await connect('/echo');
  await waitText('#ready-state', 'OPEN');
  await waitText('#last-close', '1001 No message received for 2 seconds wasClean=true');
  await saveZone({ maxIdle: 120 });
});

await step('max-connections 0 refuses the upgrade', async () => {
  await saveZone({ maxConnections: 0 });
  await connect('/echo');
  await waitText('#last-close', '1006');
  await saveZone({ maxConnections: 10000 });
});

await step('a rejected change shows the 400 message', async () => {
  await saveZone({ maxConnections: -1 });
  await waitText('#error-echo', 'websockets.maxConnections: must be a whole number, 0 or more, got -1');
});

await step('allowed origins: a page on another origin is refused, a page on an allowed origin connects', async () => {
  // Only this page's origin (http://localhost:<port>) may open sockets; the same console served from
  // http://127.0.0.1:<port> is another origin for the browser, which sends it as the Origin header.
  const allowed = new URL(base).origin;
  await saveZone({ maxConnections: 10000, allowedOrigins: allowed }); // the step before left -1 in the form
  const other = await browser.newPage();
  try {
    const otherOrigin = new URL(base);
    otherOrigin.hostname = otherOrigin.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
    await other.goto(new URL('console', otherOrigin).href);
    await other.fill('#zone-path', '/echo');
    await other.click('#connect');
    await other.waitForFunction(() => document.querySelector('#last-close')?.textContent.includes('1006'));
    if ((await other.textContent('#ready-state')) !== 'CLOSED') throw new Error('the other origin was let in');
  } finally {
    await other.close();
  }
  await connect('/echo');
  await waitText('#ready-state', 'OPEN');
  await page.fill('#message', 'from an allowed origin');
  await page.click('#send');
  await waitText('#log', 'Echo: from an allowed origin');
  await saveZone({ allowedOrigins: '' });
});

await step('the live charts render and move when traffic flows', async () => {
  // The admin panel's key started the charts: the echo zone has a panel of canvases fed by /api/stats.
  await page.waitForSelector('#charts-echo canvas#chart-echo-messages');
  const attr = (id, name) => page.$eval('#' + id, (c, n) => Number(c.dataset[n] || 0), name);
  await page.waitForFunction(() => Number(document.querySelector('#chart-echo-messages').dataset.points) >= 2);
  const before = await attr('chart-echo-messages', 'total');
  const pointsBefore = await attr('chart-echo-messages', 'points');
  const pixelsBefore = await page.$eval('#chart-echo-messages', (c) => c.toDataURL());
  if ((await text('#ready-state')) !== 'OPEN') {
    await connect('/echo');
    await waitText('#ready-state', 'OPEN');
  }
  for (let i = 0; i < 10; i++) {
    await page.fill('#message', 'chart traffic ' + i);
    await page.click('#send');
    await waitText('#log', 'Echo: chart traffic ' + i);
  }
  // 10 in and 10 out reach the chart within a sample or two.
  await page.waitForFunction((b) => Number(document.querySelector('#chart-echo-messages').dataset.total) >= b + 20, before);
  await page.waitForFunction((p) => Number(document.querySelector('#chart-echo-messages').dataset.points) > p, pointsBefore);
  const pixelsAfter = await page.$eval('#chart-echo-messages', (c) => c.toDataURL());
  if (pixelsAfter === pixelsBefore) throw new Error('the messages chart did not change');
  // The lines are drawn: coloured pixels on the canvas (axes, grid and labels are grey).
  const coloured = await page.$eval('#chart-echo-messages', (c) => {
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 128 && Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 80) n++;
    }
    return n;
  });
  if (coloured < 50) throw new Error('only ' + coloured + ' coloured pixels: no lines drawn');
  if (!(await attr('chart-echo-open', 'total') > 0)) throw new Error('the open connections chart shows none');
  if (!(await text('#chart-echo-bytes-legend')).includes('in')) throw new Error('the bytes chart has no legend');
  // Round trips: a socket opened with a 2 s idle timeout is pinged after 1 s of silence, and the chart shows it.
  await saveZone({ idleTimeout: 2 });
  await page.click('#disconnect');
  await waitText('#ready-state', 'CLOSED');
  await connect('/echo');
  await waitText('#ready-state', 'OPEN');
  await page.waitForFunction(() => /p50 [0-9.]+ ms/.test(document.querySelector('#chart-echo-ping-legend').textContent));
  await saveZone({ idleTimeout: 30 });
  for (const key of ['open', 'upgrades', 'messages', 'bytes', 'closes', 'ping']) {
    if (!(await page.isVisible('#chart-echo-' + key))) throw new Error('no ' + key + ' chart');
  }
  await page.locator('#charts-section').screenshot({ path: screenshot.replace(/\.png$/, '-charts.png') });
});

await step('the page works by keyboard', async () => {
  await page.focus('#zone-path');
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.id);
  if (focused !== 'subprotocols') throw new Error('Tab moved to ' + focused);
});

await page.screenshot({ path: screenshot, fullPage: true });
await finish(browser);
