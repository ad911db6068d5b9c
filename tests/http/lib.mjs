// Shared helpers for the HTTP API tests (node --test tests/http/).
//
// startServer() makes a temporary directory with a fresh SQLite database,
// optionally creates staff users and loads extra contest fixtures with the CLI,
// starts `cchc-quiz serve --demo` on a free port and waits for /healthz. The
// server is stopped in an after() hook (SIGTERM, then SIGKILL). Its stderr is
// captured: any AddressSanitizer / UBSan / LeakSanitizer report fails the test
// that was running (afterEach) and the file (at shutdown).
//
// The binary is $CCHC_BIN (relative to the current directory) or
// <repo>/build/cchc-quiz.
import { after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const FIXTURES = path.join(HERE, 'fixtures');
export const BIN = process.env.CCHC_BIN
  ? path.resolve(process.cwd(), process.env.CCHC_BIN)
  : path.join(REPO, 'build', 'cchc-quiz');
export const BANK_FILE = path.join(REPO, 'question-banks', 'cchc-nghe-an.json');
export const DEMO = 'demo-cchc';
export const STAFF_PASSWORD = 'mat-khau-rat-dai-123';

// How long a server may take to stop after SIGTERM (valgrind's leak check is slow).
const STOP_TIMEOUT_MS = Number(process.env.CCHC_STOP_TIMEOUT_MS || 15_000);

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const SANITIZER_RE = /ERROR: (AddressSanitizer|LeakSanitizer|ThreadSanitizer|MemorySanitizer)|runtime error:|SUMMARY: (Address|Undefined|Leak)Sanitizer/;

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Runs the CLI synchronously; throws with its output on a non-zero exit. */
export function cli(args, { env = {}, input } = {}) {
  const r = spawnSync(BIN, args, {
    env: { ...process.env, ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`cchc-quiz ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  if (SANITIZER_RE.test(r.stderr)) {
    throw new Error(`cchc-quiz ${args.join(' ')}: sanitizer report:\n${r.stderr}`);
  }
  return r;
}

/**
 * Starts a server. Options:
 *   staff:     [{username, role, password?}]  created with `user add` first
 *   contests:  ['fast.json', ...]             fixtures loaded with `contest load`
 *   rateLimit: false (default) adds --no-rate-limit
 *   args:      extra `serve` options, e.g. ['--bank-max-mb', '1']
 * Returns {base, port, dir, db, stderr(), api(), stop()}.
 */
export async function startServer({ staff = [], contests = [], rateLimit = false, args: extraArgs = [] } = {}) {
  if (!fs.existsSync(BIN)) throw new Error(`no server binary at ${BIN} (build it or set CCHC_BIN)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-http-'));
  try {
    return await launch(dir, { staff, contests, rateLimit, extraArgs });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

async function launch(dir, { staff, contests, rateLimit, extraArgs }) {
  const db = path.join(dir, 'test.db');
  for (const u of staff) {
    cli(['user', 'add', '--db', db, '--role', u.role, u.username], {
      env: { CCHC_PASSWORD: u.password || STAFF_PASSWORD },
    });
  }
  if (contests.length) {
    cli(['bank', 'import', '--db', db, BANK_FILE]);
    for (const f of contests) cli(['contest', 'load', '--db', db, path.join(FIXTURES, f)]);
  }
  const srv = {
    dir, db,
    stderr: () => srv.err,
    stdout: () => srv.out,
    api: (method, p, opts) => request(srv.base, method, p, opts),
    stopped: false,
    err: '',
    out: '',
  };
  let checkedUpTo = 0;
  srv.checkSanitizer = () => {
    const fresh = srv.err.slice(checkedUpTo);
    checkedUpTo = srv.err.length;
    if (SANITIZER_RE.test(fresh)) {
      assert.fail(`server sanitizer report:\n${fresh.slice(0, 20000)}`);
    }
  };
  srv.stop = async () => {
    if (srv.stopped) return;
    srv.stopped = true;
    let killed = false;
    if (srv.proc && !srv.exit) {
      srv.proc.kill('SIGTERM');
      const t = setTimeout(() => { killed = true; srv.proc.kill('SIGKILL'); }, STOP_TIMEOUT_MS);
      await srv.exited;
      clearTimeout(t);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    if (SANITIZER_RE.test(srv.err)) {
      assert.fail(`server sanitizer report:\n${srv.err.slice(0, 20000)}`);
    }
    assert.ok(!killed, `server did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM; stderr:\n${srv.err.slice(-4000)}`);
    assert.equal(srv.exit.code, 0, `server exited with ${JSON.stringify(srv.exit)}; stderr:\n${srv.err.slice(-4000)}`);
  };
  after(() => srv.stop());
  afterEach(() => srv.checkSanitizer());

  // A port found free may be taken before the server binds it: try again then.
  for (let tries = 1; ; tries++) {
    const port = await freePort();
    const args = ['serve', '--port', String(port), '--db', db, '--demo', '--web', path.join(REPO, 'web'),
      '--access-log', 'off', '--threads', '2'];
    if (!rateLimit) args.push('--no-rate-limit');
    args.push(...extraArgs);
    const proc = spawn(BIN, args, {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1' },
    });
    const before = srv.err.length;
    proc.stderr.setEncoding('utf8');
    proc.stdout.setEncoding('utf8');
    proc.stderr.on('data', (d) => { srv.err += d; });
    proc.stdout.on('data', (d) => { srv.out += d; });
    Object.assign(srv, { proc, port, base: `http://127.0.0.1:${port}`, exit: null });
    srv.exited = new Promise((resolve) => {
      proc.on('exit', (code, signal) => { srv.exit = { code, signal }; resolve(srv.exit); });
    });
    const deadline = Date.now() + 60_000;
    let up = false;
    while (!up) {
      if (srv.exit) break;
      try {
        const r = await fetch(srv.base + '/healthz', { signal: AbortSignal.timeout(5000) });
        up = r.status === 200;
      } catch { /* not listening yet */ }
      if (!up) {
        if (Date.now() > deadline) {
          proc.kill('SIGKILL');
          srv.stopped = true;
          throw new Error(`server did not answer /healthz in 60 s:\n${srv.err}`);
        }
        await sleep(100);
      }
    }
    if (up) break;
    if (!srv.exit) proc.kill('SIGKILL');
    const log = srv.err.slice(before);
    if (tries < 3 && /cannot listen/.test(log)) continue;
    srv.stopped = true; // nothing left to stop; the caller removes the directory
    throw new Error(`server exited (${JSON.stringify(srv.exit)}) before /healthz answered:\n${srv.err}`);
  }
  return srv;
}

/**
 * One HTTP request. opts: {token, body (object → JSON, string/Buffer as is),
 * headers, cookie, csrf}. Returns {status, headers, text, json}.
 */
export async function request(base, method, p, { token, body, headers = {}, cookie, csrf } = {}) {
  const h = { ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (cookie) h.Cookie = `cchc_session=${cookie}`;
  if (csrf) h['X-CSRF-Token'] = csrf;
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) {
      h['Content-Type'] = 'application/json';
    }
  }
  const res = await fetch(base + p, { method, headers: h, body: payload, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

/** Asserts an error reply: status, error.code and (when given) error.field. */
export function assertError(r, status, code, field) {
  const ctx = `${r.status} ${r.text.slice(0, 600)}`;
  assert.equal(r.status, status, `expected ${status}, got ${ctx}`);
  assert.ok(r.json && r.json.error, `expected an error body, got ${ctx}`);
  assert.equal(r.json.error.code, code, `error code: ${ctx}`);
  assert.equal(typeof r.json.error.message, 'string', `error message: ${ctx}`);
  assert.ok(r.json.error.message.length > 0, `error message empty: ${ctx}`);
  if (field !== undefined) assert.equal(r.json.error.field, field, `error field: ${ctx}`);
}

/** Asserts status; shows the body in the failure message. */
export function assertStatus(r, status, what = '') {
  assert.equal(r.status, status, `${what} expected ${status}, got ${r.status} ${r.text.slice(0, 800)}`);
}

// ---- participants ----

let phoneSeq = 0;
const phoneBase = 10_000_000 + Math.floor(Math.random() * 80_000_000);
/** A fresh mobile number like 09xxxxxxxx. */
export function newPhone() {
  phoneSeq += 1;
  return '09' + String((phoneBase + phoneSeq * 7919) % 100_000_000).padStart(8, '0');
}

let cccdSeq = 0;
const cccdBase = Math.floor(Math.random() * 800_000_000);
/** A fresh 12-digit CCCD number. */
export function newCccd() {
  cccdSeq += 1;
  return '040' + String(cccdBase + cccdSeq).padStart(9, '0');
}

/** Registers a participant; returns {participant_id, token, phone, full_name, unit_id, ...}. */
export async function register(srv, contest = DEMO, fields = {}) {
  const body = {
    full_name: 'Nguyễn Văn Thử',
    unit_id: 'so-noi-vu',
    phone: newPhone(),
    track: 'cbccvc',
    consent: true,
    ...fields,
  };
  const r = await srv.api('POST', `/api/contests/${contest}/participants`, { body });
  assertStatus(r, 201, 'register');
  assert.match(r.json.token, /^[0-9a-f]{64}$/);
  assert.ok(Number.isInteger(r.json.participant_id));
  return { ...body, ...r.json };
}

/** The contest document (GET /api/contests/{id}). */
export async function contestInfo(srv, contest) {
  const r = await srv.api('GET', `/api/contests/${contest}`);
  assertStatus(r, 200, `GET contest ${contest}`);
  return r.json;
}

/** The database id of a contest's n-th round (0-based). */
export async function roundId(srv, contest, n = 0) {
  const c = await contestInfo(srv, contest);
  assert.ok(c.rounds[n], `contest ${contest} has no round ${n}`);
  return c.rounds[n].id;
}

export async function startAttempt(srv, token, round, expect = 201) {
  const r = await srv.api('POST', `/api/rounds/${round}/attempts`, { token, body: {} });
  assertStatus(r, expect, 'start attempt');
  return r.json;
}

// ---- staff ----

export async function login(srv, username, password = STAFF_PASSWORD) {
  const r = await srv.api('POST', '/api/auth/login', { body: { username, password } });
  assertStatus(r, 200, `login ${username}`);
  const sc = r.headers.get('set-cookie') || '';
  const m = /cchc_session=([0-9a-f]{64})/.exec(sc);
  assert.ok(m, `login sets the session cookie: ${sc}`);
  assert.match(r.json.csrf_token, /^[0-9a-f]{64}$/);
  return { cookie: m[1], csrf: r.json.csrf_token, setCookie: sc, body: r.json };
}

// ---- the answer key, from the bank file ----

let keyCache = null;
/** Map NFC(question text) → {options: [NFC text], correct: Set(original indices), q}. */
export function bankKey() {
  if (keyCache) return keyCache;
  const bank = JSON.parse(fs.readFileSync(BANK_FILE, 'utf8'));
  keyCache = new Map();
  for (const q of bank.questions) {
    const correct = new Set(Array.isArray(q.correct) ? q.correct : [q.correct]);
    keyCache.set(q.text.normalize('NFC'), {
      options: q.options.map((o) => o.normalize('NFC')),
      correct,
      multi: Array.isArray(q.correct),
      q,
    });
  }
  return keyCache;
}

/** The bank entry for a displayed question, and its displayed→original option map. */
export function lookup(question) {
  const k = bankKey().get(question.text.normalize('NFC'));
  assert.ok(k, `question ${question.id} not found in the bank file: ${question.text}`);
  const orig = question.options.map((o) => {
    const i = k.options.indexOf(o.normalize('NFC'));
    assert.ok(i >= 0, `option "${o}" of question ${question.id} not in the bank file`);
    return i;
  });
  assert.equal(new Set(orig).size, orig.length, 'displayed options are a permutation');
  return { k, orig };
}

/** The correct answer, as displayed indices (integer, or sorted array when multi). */
export function correctAnswer(question) {
  const { k, orig } = lookup(question);
  const disp = [];
  orig.forEach((o, i) => { if (k.correct.has(o)) disp.push(i); });
  assert.equal(question.multi, k.multi, `multi flag of question ${question.id}`);
  return question.multi ? disp : disp[0];
}

/** A wrong answer: one displayed option that is not in the key. */
export function wrongAnswer(question) {
  const { k, orig } = lookup(question);
  const i = orig.findIndex((o) => !k.correct.has(o));
  assert.ok(i >= 0);
  return question.multi ? [i] : i;
}

export function answersFor(attempt, pick) {
  const out = {};
  for (const q of attempt.questions) out[String(q.id)] = pick(q);
  return out;
}

/** Polls fn() (async) until it returns a truthy value; returns it. */
export async function waitFor(fn, { timeout = 15_000, interval = 200, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) assert.fail(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(interval);
  }
}

/**
 * Waits until the server's clock (GET /healthz server_time_ms) has passed t
 * (ms since the epoch): sleeps most of the way, then polls every 10 ms so
 * the caller acts very soon after t.
 */
export async function waitServerTime(srv, t, what = 'server time') {
  const t0 = Date.now();
  const r = await srv.api('GET', '/healthz');
  const offset = r.json.server_time_ms - (t0 + Date.now()) / 2;
  const sleepMs = t - offset - Date.now() - 40;
  if (sleepMs > 0) await sleep(sleepMs);
  return waitFor(async () => {
    const h = await srv.api('GET', '/healthz');
    return h.json.server_time_ms > t;
  }, { timeout: Math.max(10_000, t - offset - Date.now() + 20_000), interval: 10, what });
}

// Keys that must never reach a participant before the attempt is final.
export const KEY_FIELDS = ['correct', 'correct_mask', 'correct_answer', 'explanation', 'source', 'answer_key', 'is_correct'];

/**
 * Asserts the raw JSON text has none of the answer-key fields, at any depth.
 * With final=true (an attempt already scored) the result's own "correct"
 * count is allowed, inside "result" only (or at the top of a submit reply).
 */
export function assertNoKey(text, what, { final = false } = {}) {
  for (const f of KEY_FIELDS) {
    if (final && f === 'correct') continue;
    assert.ok(!text.includes(`"${f}"`), `${what}: response contains "${f}": ${text.slice(0, 400)}`);
  }
  const walk = (v, parent, depth) => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, parent, depth + 1));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const allowed = final && k === 'correct' && typeof x === 'number' && (parent === 'result' || depth === 0);
        assert.ok(allowed || !KEY_FIELDS.includes(k), `${what}: key field "${k}" present (under ${parent})`);
        walk(x, k, depth + 1);
      }
    }
  };
  walk(JSON.parse(text), null, 0);
}
