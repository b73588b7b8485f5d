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

// The stand-in for @aws/synthetics-puppeteer models the documented contract
// of syn-nodejs-puppeteer-11.0 and later:
// - executeHttpStep makes the request (sending requestOptions.body as the
//   request body) and hands the response to the script's callback;
// - its stepConfig takes only the step-level overrides those runtimes honour
//   (screenshotOn*, stepSuccessMetric, stepDurationMetric,
//   continueOnStepFailure/continueOnHttpStepFailure, stepsReport); the real
//   runtime ignores any other key silently, the stand-in rejects it so that a
//   script relying on one fails here;
// - what the step report holds (request/response headers and bodies) and which
//   header values it redacts (restrictedHeaders) come from the global
//   configuration, getConfiguration().setConfig({...}), off by default;
// - continueOnHttpStepFailure defaults to true: a failed HTTP step is then
//   recorded and the script goes on, so a journey must set it to false to stop.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Library_nodejs_puppeteer.html
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Synthetics_Canaries_Library_Nodejs.html
// The docs do not say whether restrictedHeaders ignores case, so the stand-in
// takes the stricter reading and redacts only exact names.
const syntheticsStandIn = `
const http = require('node:http');
const https = require('node:https');
const stepOverrides = new Set(['screenshotOnStepStart', 'screenshotOnStepSuccess', 'screenshotOnStepFailure',
  'stepSuccessMetric', 'stepDurationMetric', 'continueOnStepFailure', 'continueOnHttpStepFailure', 'stepsReport']);
const globalOptions = new Set([...stepOverrides, 'includeRequestHeaders', 'includeResponseHeaders', 'restrictedHeaders',
  'includeRequestBody', 'includeResponseBody', 'harFile', 'includeUrlPassword', 'restrictedUrlParameters',
  'logRequest', 'logResponse', 'logRequestBody', 'logResponseBody', 'logRequestHeaders', 'logResponseHeaders']);
const config = {
  includeRequestHeaders: false, includeResponseHeaders: false, restrictedHeaders: [],
  includeRequestBody: false, includeResponseBody: false, continueOnHttpStepFailure: true,
};
exports.steps = [];
exports.report = [];
exports.failedSteps = [];
exports.getCanaryUserAgentString = () => 'slocat-test-canary';
exports.getConfiguration = () => ({
  setConfig(options) {
    for (const [key, value] of Object.entries(options || {})) {
      if (!globalOptions.has(key)) throw new Error('setConfig: unknown option ' + key);
      config[key] = value;
    }
  },
});
function reported(headers, include) {
  if (!include) return 'Not enabled';
  const out = {};
  for (const [k, v] of Object.entries(headers || {})) out[k] = config.restrictedHeaders.includes(k) ? 'REDACTED' : v;
  return out;
}
exports.executeHttpStep = async (name, options, callback, stepConfig) => {
  const ignored = Object.keys(stepConfig || {}).filter((k) => !stepOverrides.has(k));
  if (ignored.length > 0) {
    throw new Error(name + ': stepConfig keys ' + ignored.join(', ') + ' are ignored by syn-nodejs-puppeteer-11.0 and later; set it with getConfiguration().setConfig');
  }
  exports.steps.push({ name, options, stepConfig });
  const entry = { name, request: {
    headers: reported(options.headers, config.includeRequestHeaders),
    body: config.includeRequestBody ? options.body : 'Not enabled',
  } };
  exports.report.push(entry);
  const client = options.protocol === 'https:' ? https : http;
  const { body, ...rest } = options;
  try {
    await new Promise((resolve, reject) => {
      const req = client.request(rest, (res) => {
        entry.response = { statusCode: res.statusCode, headers: reported(res.headers, config.includeResponseHeaders) };
        Promise.resolve().then(() => callback(res)).then(resolve, reject);
      });
      req.on('error', reject);
      if (body) req.write(body);
      req.end();
    });
    entry.status = 'PASSED';
  } catch (err) {
    entry.status = 'FAILED';
    exports.failedSteps.push(name);
    const cont = stepConfig && stepConfig.continueOnHttpStepFailure !== undefined ? stepConfig.continueOnHttpStepFailure : config.continueOnHttpStepFailure;
    if (!cont) throw err;
  }
};
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
      } else if (req.url === '/private' && req.headers.authorization === 'Bearer s3cret-token' && req.headers['x-api-key'] === 'k3y-value') {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Set-Cookie': 'session=c00kie-value' });
        res.end('private');
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

test('step reports carry headers, with secrets redacted, and never the secret values', async () => {
  const canary = require(path.join(work, 'secrets.js'));
  // The step passes only when the server got the credentials: redaction is
  // for the report, not for the wire.
  assert.match(await canary.handler(), /journey passed: 1 steps/);
  const synthetics = require(path.join(work, 'node_modules/@aws/synthetics-puppeteer'));
  const entry = synthetics.report.find((s) => s.name === 'private');
  assert.strictEqual(entry.status, 'PASSED');
  assert.strictEqual(entry.request.headers['User-Agent'], 'slocat-test-canary');
  assert.strictEqual(entry.request.headers.Authorization, 'REDACTED');
  assert.strictEqual(entry.request.headers['X-Api-Key'], 'REDACTED');
  assert.strictEqual(entry.response.headers['content-type'], 'text/plain');
  assert.strictEqual(entry.response.headers['set-cookie'], 'REDACTED');
  const text = JSON.stringify(synthetics.report);
  for (const secret of ['s3cret-token', 'k3y-value', 'c00kie-value']) {
    assert.ok(!text.includes(secret), 'the step report holds ' + secret + ': ' + text);
  }
});
