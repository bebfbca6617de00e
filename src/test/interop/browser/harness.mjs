// What the browser scripts share: Debian's Chromium launched headless (with the flags this machine's closed
// network needs), and numbered steps that print "ok"/"not ok" and a "N passed, N failed" summary.
import { chromium } from 'playwright-core';

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

const counts = { passed: 0, failed: 0 };

export async function step(name, fn) {
  try {
    await fn();
    counts.passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    counts.failed++;
    console.log(`not ok - ${name}: ${e.message.split('\n')[0]}`);
  }
}

/** Prints the summary and exits: 1 when any step failed. */
export async function finish(browser) {
  await browser.close();
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed === 0 ? 0 : 1);
}
