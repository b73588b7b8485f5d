// Parses every Mermaid block of a `slocat report` with mermaid's own
// parser (mermaid.parse of the npm package, its browser bundle) in Debian's
// chromium, headless and driven by playwright-core. Run through
// `go test ./test/report` (make test), which writes the blocks as a JSON
// array of strings to the file named by MERMAID_BLOCKS.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const env = (name) => {
  const v = process.env[name];
  assert.ok(v, `${name} is not set: run this suite through go test ./test/report`);
  return v;
};

let browser;
let page;

before(async () => {
  browser = await chromium.launch({
    executablePath: env('MERMAID_CHROMIUM'),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
  await page.addScriptTag({ path: path.resolve(__dirname, '../../node_modules/mermaid/dist/mermaid.min.js') });
  await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false }));
});

after(async () => browser && browser.close());

describe('the report\'s Mermaid blocks', () => {
  it('parse with mermaid.parse as flowcharts', async () => {
    const blocks = JSON.parse(fs.readFileSync(env('MERMAID_BLOCKS'), 'utf8'));
    assert.ok(blocks.length > 0, 'no Mermaid block to parse');
    for (const [i, src] of blocks.entries()) {
      const result = await page.evaluate(async (text) => {
        try {
          const r = await window.mermaid.parse(text);
          return { ok: true, type: r && r.diagramType };
        } catch (e) {
          return { ok: false, error: String((e && e.message) || e) };
        }
      }, src);
      assert.ok(result.ok, `block ${i + 1} does not parse: ${result.error}\n${src}`);
      assert.match(String(result.type), /flowchart/, `block ${i + 1} is a ${result.type}, not a flowchart`);
    }
  });

  it('refuses a block that is not Mermaid (the parser really parses)', async () => {
    const result = await page.evaluate(async () => {
      try {
        await window.mermaid.parse('flowchart LR\n  a --> --> b[');
        return true;
      } catch (e) {
        return false;
      }
    });
    assert.strictEqual(result, false);
  });
});
