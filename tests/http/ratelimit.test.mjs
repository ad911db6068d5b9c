// 429 with Retry-After, on a server started with its per-address rate limits on
// (register: 20 then 1 per 3 s; login and sessions: 10 then 1 per 6 s;
// start: 30 then 1 per s).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, roundId, assertStatus, assertError, sleep, newPhone, DEMO,
} from './lib.mjs';

const srv = await startServer({ rateLimit: true, contests: ['std.json'] });
const DEMO_ROUND = await roundId(srv, DEMO, 0);

function retryAfter(r, max) {
  const ra = r.headers.get('retry-after');
  assert.match(ra || '', /^\d+$/, `Retry-After header: ${ra}`);
  const n = Number(ra);
  assert.ok(n >= 1 && n <= max, `Retry-After ${n} in 1..${max}`);
  return n;
}

/** Repeats req() until a 429 (at most 20 more times, for refills on a slow machine). */
async function untilLimited(req) {
  let r;
  for (let i = 0; i < 20; i++) {
    r = await req();
    if (r.status === 429) return r;
  }
  return r;
}

// Registrations: the first 7 are real (their tokens are used for the start
// limit below), the other 13 invalid; all 20 count against the limit.
const tokens = [];

test('registration: 20 requests, then 429 rate_limited with Retry-After', async () => {
  const results = [];
  for (let i = 0; i < 20; i++) {
    const body = i < 7
      ? { full_name: `Người Đăng Ký Nhanh ${i + 1}`, unit_id: 'so-noi-vu', phone: newPhone(), track: 'cbccvc', consent: true }
      : { full_name: 'X' }; // invalid: still counts against the limit
    const r = await srv.api('POST', `/api/contests/${DEMO}/participants`, { body });
    results.push(r.status);
    if (i < 7) { assertStatus(r, 201); tokens.push(r.json.token); }
  }
  assert.ok(results.every((s) => s !== 429), `the first 20 are not limited: ${results}`);
  // the bucket refills slowly (1 per 3 s): on a slow machine allow a few more
  const r = await untilLimited(() => srv.api('POST', `/api/contests/${DEMO}/participants`, { body: { full_name: 'X' } }));
  assertError(r, 429, 'rate_limited');
  retryAfter(r, 4);
  // X-Forwarded-For from an untrusted peer does not buy a fresh budget
  const xff = await srv.api('POST', `/api/contests/${DEMO}/participants`, {
    body: { full_name: 'X' }, headers: { 'X-Forwarded-For': '203.0.113.7' },
  });
  assertError(xff, 429, 'rate_limited');
  // other routes are not affected
  assertStatus(await srv.api('GET', `/api/contests/${DEMO}`), 200, 'reads are not limited');
  assertStatus(await srv.api('GET', '/api/me', { token: tokens[0] }), 200, '/api/me is not limited');
});

test('sessions (login class): 10 requests, then 429 with Retry-After', async () => {
  const statuses = [];
  for (let i = 0; i < 10; i++) {
    const r = await srv.api('POST', `/api/contests/${DEMO}/sessions`, { body: { phone: newPhone(), full_name: 'Không Có Ai' } });
    statuses.push(r.status);
  }
  assert.ok(statuses.every((s) => s === 401), `unknown people are 401 before the limit: ${statuses}`);
  const r = await untilLimited(() => srv.api('POST', `/api/contests/${DEMO}/sessions`, { body: { phone: newPhone(), full_name: 'Không Có Ai' } }));
  assertError(r, 429, 'rate_limited');
  retryAfter(r, 7);
  // staff login shares the per-address login budget or has its own: either way
  // it must not be a 5xx, and a limited reply carries Retry-After
  const l = await srv.api('POST', '/api/auth/login', { body: { username: 'khong-co', password: 'sai-mat-khau-1234' } });
  assert.ok(l.status === 401 || l.status === 429, `login: ${l.status} ${l.text}`);
  if (l.status === 429) retryAfter(l, 7);
});

test('start: 30 requests from one address, then 429; after Retry-After seconds it works again', async () => {
  assert.equal(tokens.length, 7, 'needs the registrations of the first test');
  // spread over 7 people (at most 5 each), so only the per-address budget counts
  const statuses = [];
  for (let i = 0; i < 30; i++) {
    const r = await srv.api('POST', `/api/rounds/${DEMO_ROUND}/attempts`, { token: tokens[i % 7], body: {} });
    statuses.push(r.status);
  }
  assert.deepEqual(statuses.slice(0, 7), [201, 201, 201, 201, 201, 201, 201], `first starts: ${statuses}`);
  assert.ok(statuses.slice(7).every((s) => s === 200), `the same open attempts, never limited: ${statuses}`);
  let k = 0;
  const r = await untilLimited(() => srv.api('POST', `/api/rounds/${DEMO_ROUND}/attempts`, { token: tokens[k++ % 7], body: {} }));
  assertError(r, 429, 'rate_limited');
  const wait = retryAfter(r, 2);
  await sleep(wait * 1000 + 100);
  const again = await srv.api('POST', `/api/rounds/${DEMO_ROUND}/attempts`, { token: tokens[6], body: {} });
  assertStatus(again, 200, 'allowed again after Retry-After');
});
