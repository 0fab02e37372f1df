// Imported first by every script here. The Langfuse SDKs never throw on a failed export: they log it
// and carry on. This module makes every failure count: each request the SDKs make with fetch (v3
// tracing and scores, v5 scores) and with node:http (v5's OTLP exporter) is recorded with its status,
// and a non-2xx, a 207 whose `errors` is not empty (or that lacks `successes`/`errors`), a network
// error, an error or warning logged by an SDK, or an unhandled rejection is a problem. finish() prints
// the script's result as one line of JSON on stdout (the only thing written there: console.log goes to
// stderr) and exits 0, or lists the problems on stderr and exits 1.
import http from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import { format } from 'node:util';

const stderr = console.error.bind(console);
const problems = [];
const requests = [];
/** While set, a refusal with one of these statuses (and what the SDK logs about it) is expected, not a problem. */
let tolerated = null;
const problem = p => (tolerated ? stderr('(expected) ' + p) : problems.push(p));

console.log = console.info = console.debug = (...args) => stderr(...args);
console.warn = (...args) => { problem('an SDK warned: ' + format(...args)); stderr(...args); };
console.error = (...args) => { problem('an SDK logged an error: ' + format(...args)); stderr(...args); };
process.on('unhandledRejection', e => problems.push('unhandled rejection: ' + (e?.stack ?? e)));

/** The settings the test passes in the SDKs' own environment variables. */
export function settings() {
  const get = name => {
    const value = process.env[name];
    if (!value) {
      stderr(`${name} is not set`);
      process.exit(2);
    }
    return value;
  };
  return {
    baseUrl: get('LANGFUSE_BASE_URL'),
    publicKey: get('LANGFUSE_PUBLIC_KEY'),
    secretKey: get('LANGFUSE_SECRET_KEY'),
    run: get('FLYWHEEL_RUN'),
  };
}

const clip = s => (s.length > 600 ? s.slice(0, 600) + '…' : s);

const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init = {}) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  const method = (init.method ?? input.method ?? 'GET').toUpperCase();
  const what = `${method} ${url.pathname}`;
  let sent = null;
  if (typeof init.body === 'string') {
    try { sent = JSON.parse(init.body); } catch { /* not JSON */ }
  }
  let response;
  try {
    response = await realFetch(input, init);
  } catch (e) {
    problems.push(`${what}: no answer (${e.cause?.message ?? e.message})`);
    requests.push({ request: what, status: null });
    throw e;
  }
  const record = { request: what, status: response.status };
  const text = await response.clone().text();
  if (response.status < 200 || response.status > 299) {
    if (tolerated?.has(response.status)) {
      record.expected = true;
    } else {
      problems.push(`${what} answered ${response.status}: ${clip(text)}`);
    }
  } else if (url.pathname.endsWith('/api/public/ingestion')) {
    let body = null;
    try { body = JSON.parse(text); } catch { /* checked below */ }
    const events = Array.isArray(sent?.batch) ? sent.batch : [];
    record.events = events.map(e => e.type);
    if (response.status === 207 && (!Array.isArray(body?.successes) || !Array.isArray(body?.errors))) {
      problems.push(`${what} answered 207 without both 'successes' and 'errors' arrays: ${clip(text)}`);
    } else if (body?.errors?.length) {
      problems.push(`${what}: ${body.errors.length} of ${events.length} events refused: ${clip(JSON.stringify(body.errors))}`);
    } else if (response.status === 207) {
      const ok = new Set(body.successes.map(s => s.id));
      const missing = events.filter(e => !ok.has(e.id)).map(e => `${e.type} ${e.id}`);
      if (missing.length) problems.push(`${what}: events neither in 'successes' nor in 'errors': ${missing.join(', ')}`);
    }
  }
  requests.push(record);
  return response;
};

// The OTLP exporter of @opentelemetry/exporter-trace-otlp-http posts with node:http's request().
const realRequest = http.request;
http.request = function request(...args) {
  const req = realRequest.apply(this, args);
  const target = args.find(a => a instanceof URL || typeof a === 'string') ?? args[0];
  const path = target instanceof URL ? target.pathname : typeof target === 'string' ? new URL(target).pathname : target?.path;
  const what = `${req.method} ${path}`;
  req.on('response', res => {
    requests.push({ request: what, status: res.statusCode });
    if (res.statusCode < 200 || res.statusCode > 299) problems.push(`${what} answered ${res.statusCode}`);
  });
  req.on('error', e => problems.push(`${what}: no answer (${e.message})`));
  return req;
};
syncBuiltinESMExports();

/**
 * Runs {@code body} expecting the server to refuse with one of {@code statuses} (e.g. a prompt fetch
 * that falls back on a 404): those answers, and what the SDK logs about them meanwhile, are not problems.
 */
export async function expecting(statuses, body) {
  const before = tolerated;
  tolerated = new Set(statuses);
  try {
    return await body();
  } finally {
    tolerated = before;
  }
}

/** How many requests so far went to a path starting with {@code prefix} (e.g. to see a cache hit). */
export function requestsTo(method, prefix) {
  return requests.filter(r => r.request.startsWith(`${method} ${prefix}`)).length;
}

/** Runs the script's body with a deadline; prints its result and exits. */
export async function run(body, { deadlineMs = 90_000 } = {}) {
  const deadline = setTimeout(() => {
    stderr(`the script did not finish in ${deadlineMs} ms; requests so far: ${JSON.stringify(requests)}`);
    process.exit(3);
  }, deadlineMs);
  deadline.unref();
  let result;
  try {
    result = await body();
  } catch (e) {
    problems.push('the script failed: ' + (e?.stack ?? e));
  }
  clearTimeout(deadline);
  if (problems.length) {
    stderr(`${problems.length} problem(s):`);
    problems.forEach(p => stderr('  - ' + p));
    stderr('requests: ' + JSON.stringify(requests));
    process.exit(1);
  }
  process.stdout.write(JSON.stringify({ ...result, requests }) + '\n');
  process.exit(0);
}
