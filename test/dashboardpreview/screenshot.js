// Screenshots a dashboard preview page (dashboards.Preview) in Debian's
// chromium, headless, driven by playwright-core. Run through
// go test ./test/dashboardpreview, which writes the page and reads the PNG:
//   node screenshot.js PAGE.html OUT.png WIDTH
'use strict';
const { chromium } = require('playwright-core');

(async () => {
  const [page, out, width] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.PREVIEW_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const p = await browser.newPage({ viewport: { width: Number(width), height: 600 }, deviceScaleFactor: 1 });
    await p.goto('file://' + page);
    await p.screenshot({ path: out, fullPage: true });
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
