// Runs the canary scripts that slocat generates (written by the Go test
// synthetics.TestScriptsWithNode into $CANARY_DIR) against a local HTTP
// server on 127.0.0.1, with small stand-ins for the Synthetics runtime
// modules. Run through `go test ./synthetics` (make test).
'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');

const source = process.env.CANARY_DIR;
let server;
let work;

// The stand-in for @aws/synthetics-puppeteer: executeHttpStep makes the
// request and hands the response to the script's callback, as the runtime does.
const syntheticsStandIn = `
const http = require('node:http');
const https = require('node:https');
exports.steps = [];
exports.getCanaryUserAgentString = () => 'slocat-test-canary';
exports.executeHttpStep = (name, options, callback, config) => new Promise((resolve, reject) => {
  exports.steps.push({ name, options, config });
  const client = options.protocol === 'https:' ? https : http;
  const { body, ...rest } = options;
  const req = client.request(rest, (res) => {
    Promise.resolve().then(() => callback(res)).then(resolve, reject);
  });
  req.on('error', reject);
  if (body) req.write(body);
  req.end();
});
`;
const loggerStandIn = `exports.info = () => {}; exports.error = () => {}; exports.warn = () => {};`;

before(async () => {
  assert.ok(source, 'CANARY_DIR is not set: run this suite through go test ./synthetics');
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (req.url === '/ok') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('ok');
      } else if (req.url === '/created' && req.method === 'POST' && JSON.parse(body).event === 'x') {
        res.writeHead(201);
        res.end();
      } else if (req.url === '/fail') {
        res.writeHead(503);
        res.end('unavailable');
      } else if (req.url === '/slow') {
        setTimeout(() => { res.writeHead(200); res.end('late'); }, 300);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = String(server.address().port);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'slocat-canary-'));
  for (const [mod, text] of [['@aws/synthetics-puppeteer', syntheticsStandIn], ['@aws/synthetics-logger', loggerStandIn]]) {
    const dir = path.join(work, 'node_modules', mod);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.js'), text);
  }
  for (const f of fs.readdirSync(source)) {
    const script = fs.readFileSync(path.join(source, f), 'utf8').replaceAll('__PORT__', port);
    fs.writeFileSync(path.join(work, f), script);
  }
});

after(() => {
  server.close();
  fs.rmSync(work, { recursive: true, force: true });
});

test('a journey passes on the expected statuses within its budgets', async () => {
  const canary = require(path.join(work, 'pass.js'));
  const result = await canary.handler();
  assert.match(result, /journey passed: 2 steps/);
  const synthetics = require(path.join(work, 'node_modules/@aws/synthetics-puppeteer'));
  const post = synthetics.steps.find((s) => s.name === 'start');
  assert.strictEqual(post.options.method, 'POST');
  assert.strictEqual(post.options.headers['Content-Type'], 'application/json');
});

test('a journey fails on a wrong status', async () => {
  const canary = require(path.join(work, 'wrong-status.js'));
  await assert.rejects(canary.handler(), /broken: status 503, expected 200/);
});

test('a journey fails when a step blows its latency budget', async () => {
  const canary = require(path.join(work, 'too-slow.js'));
  await assert.rejects(canary.handler(), /slow: took \d+ ms, over its latency budget of 100 ms/);
});
