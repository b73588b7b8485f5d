// Runs the aws-rum-web snippet that `slocat rum-snippet --outputs` prints in
// Debian's chromium (headless, driven by playwright-core), with local
// stand-ins for Amazon Cognito and the CloudWatch RUM data plane. Run through
// `go test ./test/rum` (make test), which writes the snippet and passes the
// ids of its fake outputs file in RUM_* variables.
//
// What it holds the client to:
//   - the credential flow the identity pool allows: Cognito's enhanced flow,
//     GetId with the pool id of the outputs file, then
//     GetCredentialsForIdentity for the identity GetId issued. The stand-in
//     refuses GetOpenIdToken and STS AssumeRoleWithWebIdentity (the basic,
//     classic flow) as a pool without AllowClassicFlow does;
//   - a PutRumEvents call (POST /appmonitors/{id}) for the app monitor id of
//     the outputs file, carrying events, signed with Signature Version 4 by
//     the credentials the Cognito stand-in issued (checked here from the
//     SigV4 specification, not with the client's signer);
//   - the snippet's sessionSampleRate, as printed: a session whose draw is
//     under it sends events, one whose draw is over it sends none.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const esbuild = require('esbuild');
const { chromium } = require('playwright-core');

const env = (name) => {
  const v = process.env[name];
  assert.ok(v, `${name} is not set: run this suite through go test ./test/rum`);
  return v;
};

// aws-rum-web's own default (web-slim defaultConfig: dispatchInterval
// 5 * 1000): the snippet does not change it, so the test waits for it.
const DISPATCH_INTERVAL_MS = 5000;

const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let snippet;
let sampleRate;
let appMonitorId;
let identityPoolId;
let region;
let server;
let base;

before(async () => {
  snippet = fs.readFileSync(env('RUM_SNIPPET'), 'utf8');
  appMonitorId = env('RUM_APP_MONITOR_ID');
  identityPoolId = env('RUM_IDENTITY_POOL_ID');
  region = env('RUM_REGION');
  const m = /"sessionSampleRate": ([0-9.]+)/.exec(snippet);
  assert.ok(m, 'the snippet sets no sessionSampleRate');
  sampleRate = Number(m[1]);
  assert.ok(sampleRate > 0 && sampleRate <= 1, `sessionSampleRate ${m[1]}`);

  // The snippet is an ES module that imports aws-rum-web, as a web app's
  // own code would. aws-rum-web ships no browser bundle on npm (dist/es and
  // dist/cjs only), so esbuild bundles the snippet, unchanged, with the
  // aws-rum-web of this repository's node_modules.
  const bundle = await esbuild.build({
    stdin: { contents: snippet, resolveDir: path.resolve(__dirname, '../..'), sourcefile: 'snippet.js', loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0].contents;
  const page = '<!doctype html><html><head><meta charset="utf-8"><title>StreamForge</title>' +
    '<script src="/rum.js"></script></head><body><h1>StreamForge</h1><p>Now playing.</p></body></html>';
  server = http.createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(page);
    } else if (req.url === '/rum.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      res.end(script);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => server && server.close());

// --- The Amazon Cognito identity stand-in (JSON 1.1 protocol) ---

// Cognito's answers follow the API reference: GetId returns {IdentityId};
// GetCredentialsForIdentity returns {IdentityId, Credentials: {AccessKeyId,
// SecretKey, SessionToken, Expiration (epoch seconds)}}; errors are
// {__type, message} with status 400.
function cognitoStandIn(state, request) {
  const target = request.headers()['x-amz-target'] || '';
  let body;
  try {
    body = JSON.parse(request.postData() || '');
  } catch (e) {
    return jsonError(400, 'SerializationException', `body is not JSON: ${e.message}`);
  }
  state.cognito.push({ target, body, headers: request.headers(), method: request.method() });
  if (request.method() !== 'POST' || request.headers()['content-type'] !== 'application/x-amz-json-1.1') {
    return jsonError(400, 'SerializationException', 'POST application/x-amz-json-1.1 expected');
  }
  switch (target) {
    case 'AWSCognitoIdentityService.GetId': {
      if (body.IdentityPoolId !== identityPoolId) {
        return jsonError(400, 'ResourceNotFoundException', `IdentityPool '${body.IdentityPoolId}' not found.`);
      }
      if (body.Logins && Object.keys(body.Logins).length) {
        return jsonError(400, 'NotAuthorizedException', 'the stand-in pool has no login providers');
      }
      const id = `${region}:${crypto.randomUUID()}`;
      state.identities.add(id);
      return json(200, { IdentityId: id });
    }
    case 'AWSCognitoIdentityService.GetCredentialsForIdentity': {
      if (!state.identities.has(body.IdentityId)) {
        return jsonError(400, 'ResourceNotFoundException', `Identity '${body.IdentityId}' not found.`);
      }
      if (body.CustomRoleArn) {
        return jsonError(400, 'InvalidParameterException', 'the pool has no rules that allow a custom role');
      }
      const creds = {
        AccessKeyId: 'ASIA' + crypto.randomBytes(8).toString('hex').toUpperCase(),
        SecretKey: crypto.randomBytes(30).toString('base64'),
        SessionToken: crypto.randomBytes(96).toString('base64'),
        Expiration: Math.floor(Date.now() / 1000) + 3600,
      };
      state.issued.set(creds.AccessKeyId, creds);
      return json(200, { IdentityId: body.IdentityId, Credentials: creds });
    }
    case 'AWSCognitoIdentityService.GetOpenIdToken':
      // The basic (classic) flow's second step: refused by a pool that does
      // not set AllowClassicFlow.
      return jsonError(400, 'InvalidParameterException', 'Basic (classic) flow is not enabled, please use enhanced flow.');
    default:
      return jsonError(400, 'UnknownOperationException', `unknown operation ${target}`);
  }
}

function json(status, obj) {
  return {
    status,
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'x-amzn-RequestId': crypto.randomUUID(),
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Expose-Headers': 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date',
    },
    body: JSON.stringify(obj),
  };
}

function jsonError(status, type, message) {
  return json(status, { __type: type, message });
}

// --- The CloudWatch RUM data plane stand-in (PutRumEvents, REST-JSON) ---

async function dataplaneStandIn(state, request) {
  const url = new URL(request.url());
  const headers = await request.allHeaders();
  const raw = request.postDataBuffer() || Buffer.alloc(0);
  const call = { method: request.method(), path: url.pathname, query: url.search, headers, raw };
  state.rum.push(call);
  const m = /^\/appmonitors\/([^/]+)$/.exec(url.pathname);
  if (request.method() !== 'POST' || !m) {
    return restError(404, 'ResourceNotFoundException', `no route ${request.method()} ${url.pathname}`);
  }
  call.appMonitorId = decodeURIComponent(m[1]);
  call.auth = verifySigV4(request.method(), url, headers, raw, state.issued, region, 'rum');
  if (!call.auth.ok) {
    return restError(403, 'AccessDeniedException', call.auth.reason);
  }
  try {
    const text = /gzip/i.test(headers['content-encoding'] || '') ? zlib.gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    call.body = JSON.parse(text);
  } catch (e) {
    return restError(400, 'ValidationException', `body: ${e.message}`);
  }
  if (call.appMonitorId !== appMonitorId) {
    return restError(404, 'ResourceNotFoundException', `app monitor ${call.appMonitorId} not found`);
  }
  return { status: 200, headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' }, body: '{}' };
}

function restError(status, type, message) {
  return {
    status,
    headers: { 'Content-Type': 'application/json', 'x-amzn-ErrorType': type, 'Access-Control-Allow-Origin': '*' },
    body: JSON.stringify({ message }),
  };
}

// --- Signature Version 4, from the AWS specification ---

const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();
// RFC 3986 unreserved characters stay; everything else is %XX (upper case).
const uriEncode = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

// verifySigV4 recomputes the signature of a request signed in the
// Authorization header and compares it with the one sent. issued maps the
// access key ids the Cognito stand-in handed out to their credentials.
function verifySigV4(method, url, headers, body, issued, wantRegion, wantService) {
  const fail = (reason) => ({ ok: false, reason });
  const auth = headers['authorization'];
  if (!auth) return fail('no Authorization header');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return fail(`Authorization header not AWS4-HMAC-SHA256: ${auth}`);
  const [, accessKeyId, day, scopeRegion, scopeService, signedHeaders, signature] = m;
  const creds = issued.get(accessKeyId);
  if (!creds) return fail(`access key ${accessKeyId} was not issued by the Cognito stand-in`);
  if (scopeRegion !== wantRegion || scopeService !== wantService) {
    return fail(`credential scope ${scopeRegion}/${scopeService}, want ${wantRegion}/${wantService}`);
  }
  const amzDate = headers['x-amz-date'] || '';
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || !amzDate.startsWith(day)) return fail(`X-Amz-Date ${amzDate} does not match the scope day ${day}`);
  const signedAt = Date.parse(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (Math.abs(Date.now() - signedAt) > 5 * 60 * 1000) return fail(`X-Amz-Date ${amzDate} is not now`);
  if (headers['x-amz-security-token'] !== creds.SessionToken) return fail('X-Amz-Security-Token is not the issued session token');
  const names = signedHeaders.split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-security-token']) {
    if (!names.includes(required)) return fail(`${required} is not signed (SignedHeaders=${signedHeaders})`);
  }
  const payloadHash = sha256(body);
  if (headers['x-amz-content-sha256'] !== undefined && headers['x-amz-content-sha256'] !== payloadHash) {
    return fail('X-Amz-Content-Sha256 is not the SHA-256 of the body');
  }
  const canonicalURI = url.pathname.split('/').map((seg) => uriEncode(decodeURIComponent(seg))).join('/') || '/';
  const canonicalQuery = [...url.searchParams.entries()]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  let canonicalHeaders = '';
  for (const name of names) {
    // The browser sets Host itself (fetch may not), from the URL.
    const value = name === 'host' ? headers.host || url.host : headers[name];
    if (value === undefined) return fail(`signed header ${name} was not sent`);
    canonicalHeaders += `${name}:${String(value).trim().replace(/\s+/g, ' ')}\n`;
  }
  const canonicalRequest = [method, canonicalURI, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${day}/${scopeRegion}/${scopeService}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4' + creds.SecretKey, day), scopeRegion), scopeService), 'aws4_request');
  const want = hmac(key, stringToSign).toString('hex');
  if (!crypto.timingSafeEqual(Buffer.from(want), Buffer.from(signature))) {
    return fail('signature does not match the issued credentials');
  }
  return { ok: true, accessKeyId, signedHeaders };
}

// --- The browser ---

// visit opens the page in a chromium of its own (a fresh --user-data-dir, so
// no cookie, localStorage credential or session of another visit carries
// over) whose Math.random returns draw: aws-rum-web samples a session when
// Math.random() < sessionSampleRate (SessionManager.sample).
async function visit(draw) {
  const state = { cognito: [], rum: [], sts: [], other: [], identities: new Set(), issued: new Map(), pageErrors: [] };
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'slocat-rum-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: env('RUM_CHROMIUM'),
    headless: true,
    args: chromiumArgs,
  });
  await context.addInitScript((value) => { Math.random = () => value; }, draw);
  const cognitoHost = `cognito-identity.${region}.amazonaws.com`;
  const dataplaneHost = `dataplane.rum.${region}.amazonaws.com`;
  await context.route('**/*', async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    try {
      if (url.origin === base) {
        await route.continue();
      } else if (url.host === cognitoHost) {
        await route.fulfill(cognitoStandIn(state, request));
      } else if (url.host === dataplaneHost) {
        await route.fulfill(await dataplaneStandIn(state, request));
      } else if (/^sts\./.test(url.host)) {
        // The basic flow's last step, AssumeRoleWithWebIdentity: it never
        // gets here with a Cognito token, as GetOpenIdToken is refused.
        state.sts.push({ url: request.url(), body: request.postData() });
        await route.fulfill({
          status: 400,
          headers: { 'Content-Type': 'text/xml', 'Access-Control-Allow-Origin': '*' },
          body: '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no web identity token from the pool</Message></Error></ErrorResponse>',
        });
      } else {
        state.other.push(request.url());
        await route.abort();
      }
    } catch (e) {
      // The context may be closing while a late beacon is still routed.
    }
  });
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => state.pageErrors.push(String(e)));
  await page.goto(`${base}/`, { waitUntil: 'load' });
  const loadedAt = Date.now();
  return {
    state,
    loadedAt,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

async function waitFor(what, state, check, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out after ${ms} ms waiting for ${what}; seen: ${describeCalls(state)}`);
}

// describeCalls sums up what reached the stand-ins, for failure messages.
function describeCalls(state) {
  return JSON.stringify({
    cognito: state.cognito.map((c) => c.target.replace('AWSCognitoIdentityService.', '')),
    sts: state.sts.length,
    rum: state.rum.map((c) => `${c.method} ${c.path} ${c.auth ? c.auth.reason || 'signed' : ''}`),
    other: state.other,
    pageErrors: state.pageErrors,
  });
}

// enhancedFlow asserts the Cognito calls of a visit: GetId with the pool of
// the outputs file, then GetCredentialsForIdentity for that identity, unsigned
// (both are public calls for unauthenticated identities), and no basic flow.
function assertEnhancedFlow(state) {
  const targets = state.cognito.map((c) => c.target.replace('AWSCognitoIdentityService.', ''));
  assert.deepStrictEqual(targets.slice(0, 2), ['GetId', 'GetCredentialsForIdentity'], `Cognito calls: ${targets}`);
  assert.ok(!targets.includes('GetOpenIdToken'), `the basic (classic) flow was tried: ${targets}`);
  assert.deepStrictEqual(state.sts, [], 'STS was called: the basic (classic) flow');
  const [getId, getCreds] = state.cognito;
  assert.strictEqual(getId.body.IdentityPoolId, identityPoolId, 'GetId names the pool of the outputs file');
  assert.ok(state.identities.has(getCreds.body.IdentityId), 'GetCredentialsForIdentity asks for the identity GetId issued');
  for (const c of state.cognito) {
    assert.strictEqual(c.headers.authorization, undefined, `${c.target} was signed`);
  }
}

// Both visits run at once, each in its own browser: the test takes one
// dispatch interval, not two.
describe('the printed snippet in chromium', { concurrency: 2 }, () => {
  it('sampled session: enhanced Cognito flow, then a SigV4-signed PutRumEvents for the app monitor', { timeout: 60000 }, async () => {
    // A draw under the printed sessionSampleRate: the session is sampled.
    const v = await visit(sampleRate / 2);
    try {
      const { state } = v;
      await waitFor('PutRumEvents', state, () => state.rum.length > 0, DISPATCH_INTERVAL_MS + 15000);
      assertEnhancedFlow(state);
      const put = state.rum[0];
      assert.strictEqual(put.method, 'POST');
      assert.strictEqual(put.appMonitorId, appMonitorId, 'PutRumEvents goes to the app monitor of the outputs file');
      assert.ok(put.auth.ok, `signature: ${put.auth.reason}`);
      assert.ok(put.body, 'PutRumEvents body');
      assert.ok(state.issued.has(put.auth.accessKeyId));
      assert.strictEqual(put.body.AppMonitorDetails.id, appMonitorId);
      assert.ok(put.body.BatchId, 'BatchId');
      assert.ok(put.body.UserDetails && put.body.UserDetails.sessionId, 'UserDetails.sessionId');
      const events = put.body.RumEvents;
      assert.ok(Array.isArray(events) && events.length > 0, 'RumEvents is not empty');
      for (const e of events) {
        // PutRumEvents: id, timestamp, type and details are required, details
        // and metadata are JSON strings.
        assert.ok(e.id && e.type && Number.isInteger(e.timestamp), `event ${JSON.stringify(e)}`);
        assert.strictEqual(typeof e.details, 'string');
        JSON.parse(e.details);
      }
      const types = events.map((e) => e.type);
      assert.ok(types.includes('com.amazon.rum.session_start_event'), `event types: ${types}`);
      assert.ok(types.includes('com.amazon.rum.page_view_event'), `event types: ${types}`);
      for (const c of state.rum) {
        assert.ok(c.auth && c.auth.ok, `every data plane call is signed: ${c.auth && c.auth.reason}`);
      }
      assert.deepStrictEqual(state.other, [], 'requests to other hosts');
      assert.deepStrictEqual(state.pageErrors, [], 'uncaught errors in the page');
      console.log(`# ${events.length} events in the first PutRumEvents, ${Date.now() - v.loadedAt} ms after load`);
    } finally {
      await v.close();
    }
  });

  it('session over the sample rate: credentials, but no PutRumEvents', { timeout: 60000 }, async (t) => {
    if (sampleRate >= 1) {
      t.skip('the snippet samples every session (sessionSampleRate 1)');
      return;
    }
    const v = await visit((1 + sampleRate) / 2);
    try {
      const { state } = v;
      // The client fetches credentials at start-up, sampled or not.
      await waitFor('GetCredentialsForIdentity', state, () => state.issued.size > 0, 15000);
      // Past the first dispatch, with a margin: nothing to send.
      const until = v.loadedAt + DISPATCH_INTERVAL_MS + 2000;
      await new Promise((r) => setTimeout(r, Math.max(0, until - Date.now())));
      assertEnhancedFlow(state);
      assert.deepStrictEqual(state.rum.map((c) => c.path), [], 'an unsampled session sent events');
      assert.deepStrictEqual(state.pageErrors, [], 'uncaught errors in the page');
    } finally {
      await v.close();
    }
  });
});
