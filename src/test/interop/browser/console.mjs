// The console page in a real browser: Debian's Chromium, driven by playwright-core.
// Usage: node console.mjs http://host:port/ <access-key> <screenshot.png>
// Prints "N passed, N failed"; exits 1 on any failure.
import { launch, step, finish } from './harness.mjs';

const [base, key, screenshot] = process.argv.slice(2);

const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
// Every response the page gets: none may be a 404 (the favicon included).
const notFound = [];
page.on('response', (r) => { if (r.status() === 404) notFound.push(r.url()); });
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
// GET from the config API with the key, as the page's own script would.
async function apiGet(path) {
  return page.evaluate(async ([p, k]) => (await fetch(p, { headers: { AccessKey: k } })).json(), [path, key]);
}
// Settings are folded: unfold them from their summary when they are.
async function openSettings(zone) {
  if (!(await page.$eval(`#settings-${zone}`, (d) => d.open))) await page.click(`#settings-${zone} > summary`);
}
const cell = (zone, col) => page.textContent(`#row-${zone} [data-col=${col}]`);
async function saveZone(changes) {
  await openSettings('echo');
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
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) external.push(r.url()); });
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

await step('a packaged (prod) server does not reveal its AccessKey to the page', async () => {
  const dev = await page.evaluate(async () => (await fetch('/console/dev-key')).json());
  if (dev.accessKey !== null) throw new Error('dev-key answered ' + JSON.stringify(dev));
  if ((await page.inputValue('#access-key')) !== '') throw new Error('the key field was filled in');
});

await step('the admin panel loads zones with the AccessKey', async () => {
  await page.fill('#access-key', key);
  await page.click('#load-zones');
  await page.waitForSelector('#row-echo');
  await page.click('#row-echo');
  await page.waitForSelector('#zone-echo', { state: 'attached' });
});

await step('the overview table lists every zone with its numbers, and the budget line', async () => {
  const zones = await apiGet('/api/zones');
  if (zones.length < 2) throw new Error('only ' + zones.length + ' zones');
  const rows = await page.$$eval('#zone-rows .zone-row', (rs) => rs.map((r) => r.dataset.zone));
  if (rows.length !== zones.length) throw new Error('rows ' + rows.join(',') + ' for zones ' + zones.map((z) => z.name).join(','));
  // The rates come from /api/stats: wait for a poll to fill them in.
  await page.waitForFunction(() => [...document.querySelectorAll('#zone-rows .zone-row [data-col=messages]')].every((c) => c.textContent !== '-'));
  for (const z of zones) {
    if ((await cell(z.name, 'path')) !== z.path) throw new Error(z.name + ': path ' + (await cell(z.name, 'path')));
    if ((await cell(z.name, 'kind')) !== 'standalone') throw new Error(z.name + ': kind ' + (await cell(z.name, 'kind')));
    if (!/^\d+$/.test(await cell(z.name, 'open'))) throw new Error(z.name + ': open ' + (await cell(z.name, 'open')));
    if (!/^\d+$/.test(await cell(z.name, 'refusals'))) throw new Error(z.name + ': refusals ' + (await cell(z.name, 'refusals')));
    if (!/^[\d.]+$/.test(await cell(z.name, 'upgrades'))) throw new Error(z.name + ': upgrades/s ' + (await cell(z.name, 'upgrades')));
    if (!/^[\d.]+ \/ [\d.]+$/.test(await cell(z.name, 'messages'))) throw new Error(z.name + ': messages/s ' + (await cell(z.name, 'messages')));
  }
  // An open socket shows in its zone's row.
  await connect('/echo');
  await waitText('#ready-state', 'OPEN');
  await page.waitForFunction(() => Number(document.querySelector('#row-echo [data-col=open]').textContent) >= 1);
  await page.waitForFunction(() => /^Queued bytes: .+ of .+/.test(document.querySelector('#budget').textContent));
  const stats = await apiGet('/api/stats?since=' + Math.floor(Date.now() / 1000));
  if (Number(await page.$eval('#budget', (b) => b.dataset.max)) !== stats.budget.maxQueuedBytes) throw new Error('budget max');
  await page.click('#disconnect');
  await waitText('#ready-state', 'CLOSED');
});

await step('selecting a zone shows its charts and its folded settings side by side', async () => {
  await page.click('#row-chat');
  await page.waitForSelector('#charts-chat canvas#chart-chat-messages', { state: 'visible' });
  await page.waitForSelector('#zone-detail >> text=Zone chat (/chat)');
  if (await page.isVisible('#charts-echo')) throw new Error('the echo charts still show');
  if (await page.isVisible('#side-echo')) throw new Error('the echo settings still show');
  if (!(await page.isVisible('#settings-chat > summary'))) throw new Error('no settings for chat');
  if (await page.$eval('#settings-chat', (d) => d.open)) throw new Error('settings are not folded');
  if (await page.isVisible('#z-chat-maxConnections')) throw new Error('a folded setting shows');
  await openSettings('chat');
  await page.waitForSelector('#z-chat-maxConnections', { state: 'visible' });
  const charts = await page.locator('#charts-section').boundingBox();
  const settings = await page.locator('#side-chat').boundingBox();
  if (!(settings.x >= charts.x + charts.width - 1 && settings.y < charts.y + charts.height)) {
    throw new Error('not side by side: charts ' + JSON.stringify(charts) + ', settings ' + JSON.stringify(settings));
  }
  if (!(await page.$eval('#row-chat', (r) => r.classList.contains('selected')))) throw new Error('row not marked');
  await page.click('#row-echo');
  await page.waitForSelector('#charts-echo', { state: 'visible' });
});

await step('a setting changed from the page is applied (GET /api/zones/echo shows it)', async () => {
  const before = (await apiGet('/api/zones/echo')).websockets.maxBufferedAmount;
  await saveZone({ maxBufferedAmount: before + 4096 });
  const after = (await apiGet('/api/zones/echo')).websockets.maxBufferedAmount;
  if (after !== before + 4096) throw new Error('maxBufferedAmount ' + after + ', expected ' + (before + 4096));
  if ((await page.textContent('#error-echo')) !== '') throw new Error(await page.textContent('#error-echo'));
  await saveZone({ maxBufferedAmount: before });
  if ((await apiGet('/api/zones/echo')).websockets.maxBufferedAmount !== before) throw new Error('not restored');
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
  // The refusals reach the overview, the same count as the config API's.
  await page.waitForFunction(() => Number(document.querySelector('#row-echo [data-col=refusals]').textContent) >= 2);
  const live = (await apiGet('/api/zones/echo')).live;
  const sum = live.refusedDisabled + live.refusedLimit + live.refusedOrigin;
  await page.waitForFunction((n) => document.querySelector('#row-echo [data-col=refusals]').textContent === String(n), sum);
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

await step('the overview screenshot', async () => {
  // Some traffic, so that the table and the charts have numbers to show (the socket of the steps before may be open).
  if ((await text('#ready-state')) !== 'OPEN') {
    await connect('/echo');
    await waitText('#ready-state', 'OPEN');
  }
  for (let i = 0; i < 5; i++) { await page.fill('#message', 'overview ' + i); await page.click('#send'); }
  await waitText('#log', 'Echo: overview 4');
  await page.waitForFunction(() => document.querySelector('#row-echo [data-col=messages]').textContent !== '0 / 0');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshot.replace(/\.png$/, '-overview.png') });
});

await step('no request of the page answered 404', async () => {
  if (notFound.length) throw new Error('404: ' + [...new Set(notFound)].join(', '));
});

await page.screenshot({ path: screenshot, fullPage: true });
await finish(browser);
