// The chat example in a real browser: two pages of the console join one room and see each other's messages.
// Usage: node chat.mjs http://host:port/ <screenshot.png>
// Prints "N passed, N failed"; exits 1 on any failure.
import { launch, step, finish } from './harness.mjs';

const [base, screenshot] = process.argv.slice(2);

const browser = await launch();
// Two pages in contexts of their own, as two people in two browsers.
const alice = await (await browser.newContext()).newPage();
const bob = await (await browser.newContext()).newPage();
for (const page of [alice, bob]) page.setDefaultTimeout(10000);

async function waitText(page, selector, expected) {
  await page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent.includes(t), [selector, expected]);
}
async function join(page, user) {
  await page.goto(new URL('console/', base).href);
  await page.fill('#chat-room', 'browsers');
  await page.fill('#chat-user', user);
  await page.click('#chat-join');
  await waitText(page, '#chat-status', `In room browsers as ${user}.`);
}
async function say(page, text) {
  await page.fill('#chat-text', text);
  await page.click('#chat-send');
}

await step('two pages join one room, and the first hears the second arrive', async () => {
  await join(alice, 'alice');
  await join(bob, 'bob');
  await waitText(alice, '#chat-log', 'bob joined');
});

await step('each page sees the other one\'s messages', async () => {
  await say(alice, 'hello bob');
  await waitText(bob, '#chat-log', 'alice: hello bob');
  await say(bob, 'hi alice, from the other page');
  await waitText(alice, '#chat-log', 'bob: hi alice, from the other page');
  // A page shows its own message once, as its own (the server never sends a sender its own post).
  const mine = await alice.$$eval('#chat-log li', (items) => items.filter((i) => i.textContent.includes('hello bob')).length);
  if (mine !== 1) throw new Error(`alice's page shows her message ${mine} times`);
});

await step('leaving is announced to the room', async () => {
  await bob.click('#chat-leave');
  await waitText(bob, '#chat-status', 'Not in a room');
  await waitText(alice, '#chat-log', 'bob left');
});

await alice.screenshot({ path: screenshot, fullPage: true });
await finish(browser);
