// Time-dependent behaviour: late saves and submits, the server finalising
// abandoned attempts, and settling a round (prediction tie-break) after it closes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startServer, register, roundId, startAttempt, assertStatus, assertError, correctAnswer,
  wrongAnswer, answersFor, waitFor, waitServerTime, login, FIXTURES,
} from './lib.mjs';

const srv = await startServer({
  contests: ['fast.json'],
  staff: [{ username: 'bantochuc', role: 'organiser' }, { username: 'giamkhao', role: 'judge' }],
});
const FAST = 'fast-cchc';
const FAST_ROUND = await roundId(srv, FAST, 0);
const GRACE_MS = 1000;

async function serverNow() {
  return (await srv.api('GET', '/healthz')).json.server_time_ms;
}

test('late: after deadline + grace, saving and submitting are 409 late; the saved answers are scored', async () => {
  const p = await register(srv, FAST, { full_name: 'Trịnh Văn Muộn' });
  const a = await startAttempt(srv, p.token, FAST_ROUND);
  assert.equal(a.deadline_ms - a.server_time_ms, 2000, 'duration_seconds: 2');
  assert.equal(a.questions.length, 4);
  const [q0, q1, q2, q3] = a.questions;
  const saved = { [q0.id]: correctAnswer(q0), [q1.id]: correctAnswer(q1), [q2.id]: wrongAnswer(q2) };
  // The server sweeps expired attempts about once a second, in step with its
  // last write. Saving half-way between two sweeps (start + 0.5 s) puts the
  // sweeps about 0.5 s away from deadline + grace, so the late submit below
  // reaches the attempt before the sweep does.
  await waitServerTime(srv, a.server_time_ms + 480, 'start + 0.5 s');
  const put = await srv.api('PUT', `/api/attempts/${a.attempt_id}/answers`, { token: p.token, body: { answers: saved, prediction: 5 } });
  assertStatus(put, 200, 'save in time');

  await waitServerTime(srv, a.deadline_ms + GRACE_MS + 2, 'deadline + grace');
  // Submit first, as soon as deadline + grace has passed, so that this
  // exercises the submit finalising the attempt (the server's own 1 s sweep,
  // tested below, would otherwise often get there first).
  const sub = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, {
    token: p.token, body: { answers: answersFor(a, correctAnswer) },
  });
  assertError(sub, 409, 'late');
  assert.ok(sub.json.result, `the 409 carries the result: ${sub.text}`);
  assert.equal(sub.json.result.correct, 2, 'scored from the saved answers only');
  assert.equal(sub.json.result.score, 2);
  assert.equal(sub.json.result.total, 4);
  assert.equal(sub.json.result.max_score, 4);
  assert.equal(sub.json.result.duration_ms, 2000, 'duration stops at the deadline');

  const late = await srv.api('PUT', `/api/attempts/${a.attempt_id}/answers`, {
    token: p.token, body: { answers: { [q2.id]: correctAnswer(q2), [q3.id]: correctAnswer(q3) } },
  });
  assertError(late, 409, 'late');

  const g = await srv.api('GET', `/api/attempts/${a.attempt_id}`, { token: p.token });
  assertStatus(g, 200);
  assert.equal(g.json.status, 'expired');
  assert.equal(g.json.remaining_ms, 0);
  assert.deepEqual(g.json.answers, saved, 'late answers were not merged');
  assert.equal(g.json.prediction, 5);
  assert.equal(g.json.result.correct, 2);
  assert.equal(g.json.result.score, 2);

  const me = await srv.api('GET', '/api/me', { token: p.token });
  const row = me.json.attempts.find((x) => x.attempt_id === a.attempt_id);
  assert.equal(row.status, 'expired');
  assert.equal(row.score, 2);

  const lb = await srv.api('GET', `/api/rounds/${FAST_ROUND}/leaderboard?limit=200`);
  const mine = lb.json.entries.filter((e) => e.name === 'Trịnh Văn Muộn');
  assert.equal(mine.length, 1);
  assert.equal(mine[0].score, 2);
  assert.equal(Date.parse(mine[0].submitted_at), a.deadline_ms, 'an expired attempt counts as handed in at its deadline');
});

test('saving during the grace period (after the deadline, before deadline + grace) is accepted', async (t) => {
  const p = await register(srv, FAST, { full_name: 'Trịnh Văn Vừa Kịp' });
  const a = await startAttempt(srv, p.token, FAST_ROUND);
  await waitServerTime(srv, a.deadline_ms + 50, 'deadline');
  // grace is 1 s; a request right after the deadline is inside it
  if ((await serverNow()) >= a.deadline_ms + GRACE_MS - 300) return t.skip('machine too slow to hit the 1 s grace window');
  {
    const q = a.questions[0];
    const put = await srv.api('PUT', `/api/attempts/${a.attempt_id}/answers`, { token: p.token, body: { answers: { [q.id]: correctAnswer(q) } } });
    assertStatus(put, 200, 'save within grace');
    assert.equal(put.json.remaining_ms, 0);
    const sub = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: p.token, body: {} });
    assertStatus(sub, 200, 'submit within grace');
    assert.equal(sub.json.status, 'submitted');
    assert.equal(sub.json.correct, 1);
    assert.equal(sub.json.duration_ms, 2000, 'duration capped at the deadline');
  }
});

const abandoned = {};

test('an attempt left open is finalised by the server after deadline + grace', async () => {
  const p = await register(srv, FAST, { full_name: 'Trịnh Văn Bỏ Dở', unit_id: 'tp-vinh' });
  const a = await startAttempt(srv, p.token, FAST_ROUND);
  const q = a.questions[3];
  assertStatus(await srv.api('PUT', `/api/attempts/${a.attempt_id}/answers`, {
    token: p.token, body: { answers: { [q.id]: correctAnswer(q) } },
  }), 200);
  await waitServerTime(srv, a.deadline_ms + GRACE_MS, 'deadline + grace');
  // GET only reads: the attempt must become final without any write from us
  const g = await waitFor(async () => {
    const r = await srv.api('GET', `/api/attempts/${a.attempt_id}`, { token: p.token });
    assertStatus(r, 200);
    return r.json.status !== 'open' ? r : null;
  }, { timeout: 5000, interval: 100, what: 'the server to finalise the abandoned attempt' });
  assert.equal(g.json.status, 'expired');
  assert.deepEqual(g.json.result, { score: 1, max_score: 4, correct: 1, total: 4, duration_ms: 2000 });
  const lb = await srv.api('GET', `/api/rounds/${FAST_ROUND}/leaderboard?limit=200`);
  const entry = lb.json.entries.find((e) => e.name === 'Trịnh Văn Bỏ Dở');
  assert.ok(entry, 'on the leaderboard');
  assert.equal(entry.score, 1);
  const me = await srv.api('GET', '/api/me', { token: p.token });
  assert.equal(me.json.attempts[0].status, 'expired');
  assert.equal(me.json.attempts[0].score, 1);
  const units = (await srv.api('GET', `/api/contests/${FAST}/units`)).json.units;
  assert.equal(units.find((u) => u.id === 'tp-vinh').finished_attempts >= 1, true);

  // the second attempt may start; after it, the limit (2) applies
  const a2 = await startAttempt(srv, p.token, FAST_ROUND, 201);
  assert.notEqual(a2.attempt_id, a.attempt_id);
  assertStatus(await srv.api('POST', `/api/attempts/${a2.attempt_id}/submit`, { token: p.token, body: {} }), 200);
  assertError(await srv.api('POST', `/api/rounds/${FAST_ROUND}/attempts`, { token: p.token, body: {} }), 409, 'attempt_limit');
  Object.assign(abandoned, { p, a });
});

test('a submit after the server has expired the attempt is still 409 late with the result', async (t) => {
  if (!abandoned.a) return t.skip('needs the previous test');
  const { p, a } = abandoned;
  const sub = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, {
    token: p.token, body: { answers: answersFor(a, correctAnswer) },
  });
  // docs/api.md: "After deadline + grace: 409 late; ... the body of the 409 carries result"
  assertError(sub, 409, 'late');
  assert.deepEqual(sub.json.result, { status: 'expired', score: 1, max_score: 4, correct: 1, total: 4, duration_ms: 2000 });
});

test('settlement: after close + grace the board is final, has perfect_count, and the closer prediction wins', async () => {
  const org = await login(srv, 'bantochuc');
  const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'settle.json'), 'utf8'));
  const now = await serverNow();
  const closes = now + 8000;
  doc.rounds[0].opens_at = new Date(now - 3_600_000).toISOString();
  doc.rounds[0].closes_at = new Date(closes).toISOString();
  const up = await srv.api('POST', '/api/admin/contests', { cookie: org.cookie, csrf: org.csrf, body: doc });
  assertStatus(up, 201, 'upload the settlement contest');
  const round = await roundId(srv, 'settle-cchc', 0);

  // perfect but no prediction, and the first to hand in
  const none = await register(srv, 'settle-cchc', { full_name: 'Đinh Văn Không Đoán', unit_id: 'so-noi-vu' });
  const aNone = await startAttempt(srv, none.token, round);
  assertStatus(await srv.api('POST', `/api/attempts/${aNone.attempt_id}/submit`, {
    token: none.token, body: { answers: answersFor(aNone, correctAnswer) },
  }), 200);
  const far = await register(srv, 'settle-cchc', { full_name: 'Đinh Văn Xa', unit_id: 'so-noi-vu' });
  const near = await register(srv, 'settle-cchc', { full_name: 'Đinh Thị Gần', unit_id: 'so-tu-phap' });
  const aFar = await startAttempt(srv, far.token, round);
  const aNear = await startAttempt(srv, near.token, round);
  assert.equal(aFar.deadline_ms, closes, 'the deadline is capped at the round close');
  // both perfect; the far prediction is handed in first
  const sFar = await srv.api('POST', `/api/attempts/${aFar.attempt_id}/submit`, {
    token: far.token, body: { answers: answersFor(aFar, correctAnswer), prediction: 10 },
  });
  assertStatus(sFar, 200);
  assert.equal(sFar.json.correct, 3);
  const sNear = await srv.api('POST', `/api/attempts/${aNear.attempt_id}/submit`, {
    token: near.token, body: { answers: answersFor(aNear, correctAnswer), prediction: 3 },
  });
  assertStatus(sNear, 200);
  assert.equal(sNear.json.correct, 3);
  // a third participant, not perfect
  const other = await register(srv, 'settle-cchc', { full_name: 'Đinh Văn Ba', unit_id: 'so-noi-vu' });
  const aOther = await startAttempt(srv, other.token, round);
  assertStatus(await srv.api('POST', `/api/attempts/${aOther.attempt_id}/submit`, {
    token: other.token, body: { answers: answersFor(aOther, wrongAnswer), prediction: 3 },
  }), 200);

  const prov = await srv.api('GET', `/api/rounds/${round}/leaderboard`);
  assertStatus(prov, 200);
  assert.equal(prov.json.provisional, true);
  assert.equal(prov.json.perfect_count, null);
  assert.deepEqual(prov.json.entries.map((e) => e.name), ['Đinh Văn Không Đoán', 'Đinh Văn Xa', 'Đinh Thị Gần', 'Đinh Văn Ba'],
    'while open: score, then submitted_at (no prediction tie-break)');
  assert.ok(prov.json.entries.every((e) => e.prediction_error === null));

  await waitServerTime(srv, closes + GRACE_MS + 1000, 'close + grace');
  const fin = await waitFor(async () => {
    const r = await srv.api('GET', `/api/rounds/${round}/leaderboard`);
    return r.json.provisional === false ? r : null;
  }, { timeout: 10_000, interval: 200, what: 'the round to be settled' });
  assert.equal(fin.json.perfect_count, 3);
  assert.equal(fin.json.total, 4);
  // three perfect scores: the exact prediction (3) first, then the one 7 off,
  // then the one without a prediction; the zero score last
  assert.deepEqual(fin.json.entries.map((e) => [e.rank, e.name, e.score, e.prediction_error]), [
    [1, 'Đinh Thị Gần', 3, 0],
    [2, 'Đinh Văn Xa', 3, 7],
    [3, 'Đinh Văn Không Đoán', 3, null],
    [4, 'Đinh Văn Ba', 0, 0],
  ]);
  assert.ok(Date.parse(fin.json.entries[0].submitted_at) > Date.parse(fin.json.entries[1].submitted_at),
    'the winner submitted later');

  // the judges' list has the same order, and no phone numbers
  const judge = await login(srv, 'giamkhao');
  const res = await srv.api('GET', `/api/admin/rounds/${round}/results`, { cookie: judge.cookie });
  assertStatus(res, 200, 'judge results');
  assert.deepEqual(res.json.entries.map((e) => e.name), ['Đinh Thị Gần', 'Đinh Văn Xa', 'Đinh Văn Không Đoán', 'Đinh Văn Ba']);
  assert.equal(res.json.provisional, false);
  for (const p of [none, far, near, other]) assert.ok(!res.text.includes(p.phone.slice(1)), 'no phone in judge results');

  // the round is closed now: no new attempts; the review (after_close) opens
  assertError(await srv.api('POST', `/api/rounds/${round}/attempts`, { token: other.token, body: {} }), 409, 'round_not_open');
  const rv = await srv.api('GET', `/api/attempts/${aNear.attempt_id}/review`, { token: near.token });
  assertStatus(rv, 200, 'review after close');
  assert.ok(rv.json.questions.every((q) => q.is_correct === true));
  const info = (await srv.api('GET', '/api/contests/settle-cchc')).json;
  assert.equal(info.rounds[0].status, 'closed');
});
