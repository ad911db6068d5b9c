// Every error status of the contract: 401, 403, 404, 405, 409, 413 (429 is in
// ratelimit.test.mjs, on a server with rate limits on).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, register, roundId, startAttempt, assertStatus, assertError, login, DEMO,
} from './lib.mjs';

const srv = await startServer({
  contests: ['std.json'],
  staff: [{ username: 'giamkhao', role: 'judge' }],
});
const DEMO_ROUND = await roundId(srv, DEMO, 0);
const DEMO_ROUND_2 = await roundId(srv, DEMO, 1);
const STD_ROUND = await roundId(srv, 'std-cchc', 0);

const owner = await register(srv, DEMO, { full_name: 'Chủ Bài Thi' });
const intruder = await register(srv, DEMO, { full_name: 'Người Khác' });
const ownerAttempt = await startAttempt(srv, owner.token, DEMO_ROUND);
const A = ownerAttempt.attempt_id;

test('401: no token, a malformed token, an unknown token', async () => {
  const unknown = 'ab'.repeat(32);
  const routes = [
    ['GET', '/api/me'],
    ['POST', `/api/rounds/${DEMO_ROUND}/attempts`],
    ['GET', `/api/attempts/${A}`],
    ['PUT', `/api/attempts/${A}/answers`],
    ['POST', `/api/attempts/${A}/submit`],
    ['GET', `/api/attempts/${A}/review`],
  ];
  for (const [m, p] of routes) {
    const body = m === 'GET' ? undefined : {};
    for (const headers of [
      {},
      { Authorization: `Bearer ${unknown}` },
      { Authorization: `Bearer ${owner.token.toUpperCase()}` },
      { Authorization: `Bearer ${owner.token}x` },
      { Authorization: `Bearer ${owner.token.slice(0, 63)}` },
      { Authorization: owner.token },
      { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      { Authorization: 'Bearer ' },
    ]) {
      const r = await srv.api(m, p, { headers, body });
      assertError(r, 401, 'unauthorized');
      assert.ok(!r.text.includes(owner.token), 'the token is not echoed');
    }
  }
  // the attempt is untouched by all this
  const g = await srv.api('GET', `/api/attempts/${A}`, { token: owner.token });
  assert.equal(g.json.status, 'open');
});

test("403: another participant's attempt; a round of another contest", async () => {
  for (const [m, p, body] of [
    ['GET', `/api/attempts/${A}`],
    ['PUT', `/api/attempts/${A}/answers`, { answers: { [ownerAttempt.questions[0].id]: 0 } }],
    ['POST', `/api/attempts/${A}/submit`, {}],
    ['GET', `/api/attempts/${A}/review`],
  ]) {
    const r = await srv.api(m, p, { token: intruder.token, body });
    assertError(r, 403, 'forbidden');
    assert.ok(!r.text.includes('"questions"'), `${m} ${p}: no paper in the 403`);
  }
  const g = await srv.api('GET', `/api/attempts/${A}`, { token: owner.token });
  assert.equal(g.json.status, 'open', 'the intruder could not submit it');
  assert.deepEqual(g.json.answers, {}, 'the intruder could not save into it');
  // registered for demo-cchc, starting a round of std-cchc
  assertError(await srv.api('POST', `/api/rounds/${STD_ROUND}/attempts`, { token: owner.token, body: {} }), 403, 'forbidden');
  // wrong staff role
  const judge = await login(srv, 'giamkhao');
  assertError(await srv.api('POST', '/api/admin/contests', { cookie: judge.cookie, csrf: judge.csrf, body: {} }), 403, 'forbidden');
});

test('404: unknown contest, round, attempt, path', async () => {
  const cases = [
    ['GET', '/api/contests/khong-co'],
    ['GET', '/api/contests/khong-co/units'],
    ['GET', '/api/contests/khong-co/leaderboard'],
    ['POST', '/api/contests/khong-co/participants', { full_name: 'Ai Đó', unit_id: 'so-noi-vu', phone: '0912000111', track: 'cbccvc', consent: true }],
    ['POST', '/api/contests/khong-co/sessions', { phone: '0912000111', full_name: 'Ai Đó' }],
    ['GET', '/api/rounds/999999/leaderboard'],
    ['GET', '/api/rounds/abc/leaderboard'],
    ['GET', '/api/rounds/0/leaderboard'],
    ['POST', '/api/rounds/999999/attempts', {}, owner.token],
    ['POST', '/api/rounds/abc/attempts', {}, owner.token],
    ['GET', '/api/attempts/999999', undefined, owner.token],
    ['GET', '/api/attempts/abc', undefined, owner.token],
    ['GET', '/api/attempts/-1', undefined, owner.token],
    ['PUT', '/api/attempts/999999/answers', {}, owner.token],
    ['POST', '/api/attempts/999999/submit', {}, owner.token],
    ['GET', '/api/attempts/999999/review', undefined, owner.token],
    ['GET', '/api/nope'],
    ['GET', '/api/contests/demo-cchc/nope'],
    ['GET', '/api/contests/demo-cchc/units/extra'],
    ['GET', '/api'],
    ['GET', '/api/'],
    ['POST', '/api/nope', {}],
    ['GET', '/khong-co-trang-nay.html'],
  ];
  for (const [m, p, body, token] of cases) {
    const r = await srv.api(m, p, { body, token });
    assert.equal(r.status, 404, `${m} ${p}: ${r.status} ${r.text.slice(0, 300)}`);
    assert.equal(r.json && r.json.error && r.json.error.code, 'not_found', `${m} ${p}: ${r.text.slice(0, 300)}`);
  }
  // the static pages exist
  for (const p of ['/', '/contest.html', '/quiz.html', '/leaderboard.html', '/staff.html']) {
    const r = await srv.api('GET', p);
    assert.equal(r.status, 200, p);
    assert.match(r.headers.get('content-type'), /text\/html/);
  }
});

test('405: wrong method, with an Allow header', async () => {
  const cases = [
    ['DELETE', `/api/attempts/${A}`, ['GET']],
    ['POST', `/api/attempts/${A}`, ['GET']],
    ['GET', `/api/attempts/${A}/answers`, ['PUT']],
    ['POST', `/api/attempts/${A}/answers`, ['PUT']],
    ['GET', `/api/attempts/${A}/submit`, ['POST']],
    ['GET', `/api/contests/${DEMO}/participants`, ['POST']],
    ['GET', `/api/contests/${DEMO}/sessions`, ['POST']],
    ['PUT', '/api/contests', ['GET']],
    ['DELETE', `/api/contests/${DEMO}`, ['GET']],
    ['POST', '/healthz', ['GET']],
    ['GET', `/api/rounds/${DEMO_ROUND}/attempts`, ['POST']],
    ['POST', '/api/me', ['GET']],
    ['GET', '/api/auth/login', ['POST']],
    ['GET', '/api/auth/logout', ['POST']],
    ['DELETE', '/api/admin/banks', ['GET', 'POST']],
    ['PUT', '/api/admin/contests', ['GET', 'POST']],
  ];
  for (const [m, p, allow] of cases) {
    const r = await srv.api(m, p, { token: owner.token });
    assert.equal(r.status, 405, `${m} ${p}: ${r.status} ${r.text.slice(0, 200)}`);
    assert.equal(r.json.error.code, 'method_not_allowed', `${m} ${p}`);
    const got = (r.headers.get('allow') || '').split(',').map((s) => s.trim()).filter(Boolean).sort();
    assert.deepEqual(got, allow, `${m} ${p}: Allow header "${r.headers.get('allow')}"`);
  }
  // HEAD works where GET does
  const h = await fetch(`${srv.base}/api/contests`, { method: 'HEAD' });
  assert.equal(h.status, 200);
});

test('409: duplicate, attempt_limit, round_not_open, late', async () => {
  assertError(await srv.api('POST', `/api/contests/${DEMO}/participants`, {
    body: { full_name: 'Chủ Bài Thi', unit_id: 'so-noi-vu', phone: owner.phone, track: 'cbccvc', consent: true },
  }), 409, 'duplicate', 'phone');
  // round 2 of the demo is upcoming
  const up = await srv.api('POST', `/api/rounds/${DEMO_ROUND_2}/attempts`, { token: owner.token, body: {} });
  assertError(up, 409, 'round_not_open');
  // the demo allows 2 attempts
  const p = await register(srv, DEMO, { full_name: 'Người Ba Lượt' });
  for (let i = 0; i < 2; i++) {
    const a = await startAttempt(srv, p.token, DEMO_ROUND);
    assertStatus(await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: p.token, body: {} }), 200);
    const put = await srv.api('PUT', `/api/attempts/${a.attempt_id}/answers`, { token: p.token, body: {} });
    assertError(put, 409, 'late');
  }
  assertError(await srv.api('POST', `/api/rounds/${DEMO_ROUND}/attempts`, { token: p.token, body: {} }), 409, 'attempt_limit');
});

test('413: bodies over the route limit', async () => {
  const pad = (n) => ({ full_name: 'Nguyễn Văn Lớn', unit_id: 'so-noi-vu', phone: '0912000222', track: 'cbccvc', consent: true, pad: 'x'.repeat(n) });
  const big = JSON.stringify(pad(9 * 1024));
  assert.ok(big.length > 8 * 1024);
  const r = await srv.api('POST', `/api/contests/${DEMO}/participants`, { body: big });
  assertError(r, 413, 'too_large');
  // just over and just under 8 KiB
  const over = Buffer.byteLength(JSON.stringify(pad(0)));
  const justOver = JSON.stringify(pad(8 * 1024 - over + 1));
  assert.equal(Buffer.byteLength(justOver), 8 * 1024 + 1);
  assertError(await srv.api('POST', `/api/contests/${DEMO}/participants`, { body: justOver }), 413, 'too_large');
  const justUnder = JSON.stringify(pad(8 * 1024 - over));
  assert.equal(Buffer.byteLength(justUnder), 8 * 1024);
  // at the limit the body is read and validated (unknown key "pad")
  assertError(await srv.api('POST', `/api/contests/${DEMO}/participants`, { body: justUnder }), 400, 'validation', 'pad');

  const sessionBig = JSON.stringify({ phone: '0912000222', full_name: 'x'.repeat(5000) });
  assertError(await srv.api('POST', `/api/contests/${DEMO}/sessions`, { body: sessionBig }), 413, 'too_large');
  assertError(await srv.api('POST', `/api/rounds/${DEMO_ROUND}/attempts`, { token: owner.token, body: JSON.stringify({ x: 'y'.repeat(2000) }) }), 413, 'too_large');
  const answersBig = JSON.stringify({ answers: {}, pad: 'z'.repeat(65 * 1024) });
  assertError(await srv.api('PUT', `/api/attempts/${A}/answers`, { token: owner.token, body: answersBig }), 413, 'too_large');
  assertError(await srv.api('POST', `/api/attempts/${A}/submit`, { token: owner.token, body: answersBig }), 413, 'too_large');
  assertError(await srv.api('POST', '/api/auth/login', { body: JSON.stringify({ username: 'a', password: 'p'.repeat(5000) }) }), 413, 'too_large');
  // a body on a route that takes none (limit 1 KiB)
  assertError(await srv.api('POST', '/api/auth/logout', { body: 'q'.repeat(4096) }), 413, 'too_large');

  // without Content-Length (chunked): still refused
  const chunks = [Buffer.from('{"full_name":"'), Buffer.from('a'.repeat(9000)), Buffer.from('"}')];
  const stream = new ReadableStream({
    start(c) { for (const ch of chunks) c.enqueue(ch); c.close(); },
  });
  const res = await fetch(`${srv.base}/api/contests/${DEMO}/participants`, {
    method: 'POST', body: stream, duplex: 'half', headers: { 'Content-Type': 'application/json' },
  });
  const text = await res.text();
  assert.equal(res.status, 413, text);
  assert.equal(JSON.parse(text).error.code, 'too_large');

  // the attempt was not finalised by the refused submit
  const g = await srv.api('GET', `/api/attempts/${A}`, { token: owner.token });
  assert.equal(g.json.status, 'open');
});

test('odd inputs get 4xx answers and the server keeps serving', async () => {
  const p = await register(srv, DEMO, { full_name: 'Người Thử Lạ' });
  const a = await startAttempt(srv, p.token, DEMO_ROUND);
  const q = a.questions[0];
  const odd = [
    ['POST', `/api/contests/${DEMO}/participants`, '['.repeat(4000) + ']'.repeat(4000)],
    ['POST', `/api/contests/${DEMO}/participants`, '{"full_name":"\\u0000\\u0000","unit_id":"so-noi-vu","phone":"0912000333","track":"cbccvc","consent":true}'],
    ['POST', `/api/contests/${DEMO}/participants`, '{"full_name":"\\ud800 bad surrogate","unit_id":"so-noi-vu","phone":"0912000333","track":"cbccvc","consent":true}'],
    ['POST', `/api/contests/${DEMO}/participants`, Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
    ['POST', `/api/contests/${DEMO}/participants`, { full_name: 'A'.repeat(3000), unit_id: 'x'.repeat(3000), phone: '9'.repeat(1000), track: 't'.repeat(500), consent: true }],
    ['POST', `/api/contests/${DEMO}/participants`, { full_name: 'Tên Hợp Lệ', unit_id: 'so-noi-vu', phone: '+'.repeat(100), track: 'cbccvc', consent: true }],
    ['POST', `/api/contests/${DEMO}/participants`, { full_name: 'Tên Hợp Lệ', unit_id: 'so-noi-vu', phone: '0912000333', cccd: '1'.repeat(5000), track: 'cbccvc', consent: true }],
    ['POST', `/api/contests/${DEMO}/sessions`, { phone: '0'.repeat(3000), full_name: 'x' }],
    ['PUT', `/api/attempts/${a.attempt_id}/answers`, { answers: { [q.id]: 1e300 } }],
    ['PUT', `/api/attempts/${a.attempt_id}/answers`, { answers: { [q.id]: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 31, 32, 63, 64] } }],
    ['PUT', `/api/attempts/${a.attempt_id}/answers`, { answers: { [q.id]: { a: 1 } } }],
    ['PUT', `/api/attempts/${a.attempt_id}/answers`, { answers: { ['9'.repeat(40)]: 0 } }],
    ['PUT', `/api/attempts/${a.attempt_id}/answers`, { answers: { ['x'.repeat(2000)]: 0 } }],
    ['PUT', `/api/attempts/${a.attempt_id}/answers`, { answers: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [String(i + 1), 0])) }],
    ['PUT', `/api/attempts/${a.attempt_id}/answers`, { prediction: 1e20 }],
    ['PUT', `/api/attempts/${a.attempt_id}/answers`, { prediction: -9223372036854775808 }],
    ['POST', `/api/attempts/${a.attempt_id}/submit`, { answers: { [q.id]: 2 ** 40 } }],
    ['GET', `/api/attempts/${'9'.repeat(300)}`],
    ['GET', `/api/rounds/${DEMO_ROUND}/leaderboard?limit=${'9'.repeat(50)}&offset=${'9'.repeat(50)}`],
    ['GET', `/api/rounds/${DEMO_ROUND}/leaderboard?offset=2147483647`],
    ['GET', `/api/contests/${'z'.repeat(500)}`],
    ['GET', `/api/contests/${encodeURIComponent("demo-cchc' OR '1'='1")}`],
  ];
  for (const [m, path, body] of odd) {
    const r = await srv.api(m, path, { token: p.token, body });
    assert.ok(r.status >= 200 && r.status < 500, `${m} ${path.slice(0, 80)}: ${r.status} ${r.text.slice(0, 200)}`);
    if (r.status >= 400) assert.ok(r.json && r.json.error && typeof r.json.error.code === 'string', `${m} ${path.slice(0, 80)}: JSON error body`);
  }
  const h = await srv.api('GET', '/healthz');
  assertStatus(h, 200, 'still serving');
  const g = await srv.api('GET', `/api/attempts/${a.attempt_id}`, { token: p.token });
  assertStatus(g, 200);
  assert.equal(g.json.status, 'open', 'none of that finalised the attempt');
  assert.deepEqual(g.json.answers, {}, 'none of that was saved');
});
