// The participant flow: register, start, autosave, resume, submit, scoring,
// review, leaderboards, attempt limits and another-device sessions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, register, roundId, contestInfo, startAttempt, assertStatus, assertError,
  assertNoKey, correctAnswer, wrongAnswer, answersFor, lookup, newPhone, newCccd, sleep, DEMO,
} from './lib.mjs';

const srv = await startServer({ contests: ['std.json', 'cccd.json'] });
const DEMO_ROUND = await roundId(srv, DEMO, 0);
const STD = 'std-cchc';
const STD_ROUND = await roundId(srv, STD, 0);
const CCCD = 'cccd-cchc';

const QUESTION_KEYS = ['id', 'multi', 'options', 'text'];
const RESULT_KEYS = ['correct', 'duration_ms', 'max_score', 'score', 'total'];

function checkAttemptShape(a, what) {
  assert.ok(Number.isInteger(a.attempt_id) && a.attempt_id > 0, `${what}: attempt_id`);
  assert.ok(Number.isInteger(a.round_id), `${what}: round_id`);
  assert.match(a.deadline, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, `${what}: deadline ISO`);
  assert.match(a.server_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, `${what}: server_time ISO`);
  assert.equal(Date.parse(a.deadline), a.deadline_ms, `${what}: deadline and deadline_ms agree`);
  assert.equal(Date.parse(a.server_time), a.server_time_ms, `${what}: server_time and server_time_ms agree`);
  assert.ok(Number.isInteger(a.remaining_ms) && a.remaining_ms >= 0, `${what}: remaining_ms`);
  assert.ok(Array.isArray(a.questions) && a.questions.length > 0, `${what}: questions`);
  const ids = new Set();
  for (const q of a.questions) {
    assert.deepEqual(Object.keys(q).sort(), QUESTION_KEYS, `${what}: question fields ${JSON.stringify(q)}`);
    assert.ok(Number.isInteger(q.id), `${what}: question id`);
    assert.equal(typeof q.text, 'string');
    assert.ok(q.text.length > 0);
    assert.ok(Array.isArray(q.options) && q.options.length >= 2 && q.options.length <= 6);
    for (const o of q.options) assert.equal(typeof o, 'string');
    assert.equal(typeof q.multi, 'boolean');
    ids.add(q.id);
  }
  assert.equal(ids.size, a.questions.length, `${what}: no question twice`);
  assert.equal(typeof a.answers, 'object');
}

test('whole flow: register → start → autosave → resume → submit → leaderboards → units', async () => {
  const info = await contestInfo(srv, DEMO);
  const round = info.rounds.find((r) => r.id === DEMO_ROUND);
  assert.equal(round.status, 'open');
  const unitsBefore = (await srv.api('GET', `/api/contests/${DEMO}/units`)).json.units;
  const uBefore = unitsBefore.find((u) => u.id === 'so-tu-phap');
  assert.ok(uBefore, 'unit so-tu-phap in the units table');

  const phoneDigits = newPhone(); // 09xxxxxxxx
  const national = phoneDigits.slice(1); // 9xxxxxxxx
  const cccd = newCccd();
  const p = await register(srv, DEMO, {
    full_name: 'Trần Thị Bích Ngọc',
    unit_id: 'so-tu-phap',
    phone: `${phoneDigits.slice(0, 4)} ${phoneDigits.slice(4, 7)} ${phoneDigits.slice(7)}`,
    cccd,
    track: 'cbccvc',
  });

  // start: 201 with the paper, no key anywhere
  const r1 = await srv.api('POST', `/api/rounds/${DEMO_ROUND}/attempts`, { token: p.token, body: {} });
  assertStatus(r1, 201, 'first start');
  assertNoKey(r1.text, 'start');
  const a = r1.json;
  checkAttemptShape(a, 'start');
  assert.equal(a.round_id, DEMO_ROUND);
  assert.equal(a.status, 'open');
  assert.equal(a.questions.length, round.question_count);
  assert.deepEqual(a.answers, {});
  assert.equal(a.prediction, null);
  assert.equal(a.prediction_question, round.prediction.text);
  assert.ok(a.remaining_ms > 0 && a.remaining_ms <= round.duration_seconds * 1000, `remaining_ms ${a.remaining_ms}`);
  assert.equal(a.deadline_ms - a.server_time_ms, a.remaining_ms);
  assert.equal(a.result, undefined, 'no result while open');

  // autosave three answers and a prediction
  const first = a.questions.slice(0, 3);
  const saved = {};
  first.forEach((q, i) => { saved[String(q.id)] = q.multi ? [i % q.options.length] : i % q.options.length; });
  const put = await srv.api('PUT', `/api/attempts/${a.attempt_id}/answers`, {
    token: p.token, body: { answers: saved, prediction: 42 },
  });
  assertStatus(put, 200, 'autosave');
  assertNoKey(put.text, 'PUT answers');
  assert.ok(Number.isInteger(put.json.saved) && put.json.saved >= 1, `saved: ${put.text}`);
  assert.ok(put.json.remaining_ms > 0 && put.json.remaining_ms <= a.remaining_ms, `remaining after PUT ${put.text}`);

  await sleep(30);
  const g = await srv.api('GET', `/api/attempts/${a.attempt_id}`, { token: p.token });
  assertStatus(g, 200, 'GET attempt');
  assertNoKey(g.text, 'GET attempt');
  checkAttemptShape(g.json, 'GET');
  assert.deepEqual(g.json.answers, saved);
  assert.equal(g.json.prediction, 42);
  assert.equal(g.json.status, 'open');
  assert.equal(g.json.deadline_ms, a.deadline_ms);
  assert.ok(g.json.remaining_ms < a.remaining_ms, `remaining_ms decreases: ${a.remaining_ms} then ${g.json.remaining_ms}`);
  assert.deepEqual(g.json.questions, a.questions, 'the same paper');

  // start again: the same open attempt, 200
  await sleep(30);
  const r2 = await srv.api('POST', `/api/rounds/${DEMO_ROUND}/attempts`, { token: p.token, body: {} });
  assertStatus(r2, 200, 'second start');
  assertNoKey(r2.text, 'start again');
  assert.equal(r2.json.attempt_id, a.attempt_id);
  assert.deepEqual(r2.json.questions, a.questions);
  assert.deepEqual(r2.json.answers, saved);
  assert.equal(r2.json.prediction, 42);
  assert.ok(r2.json.remaining_ms < g.json.remaining_ms);

  const me = await srv.api('GET', '/api/me', { token: p.token });
  assertStatus(me, 200, '/api/me');
  assertNoKey(me.text, '/api/me');
  assert.equal(me.json.participant_id, p.participant_id);
  assert.equal(me.json.contest_id, DEMO);
  assert.equal(me.json.full_name, 'Trần Thị Bích Ngọc');
  assert.deepEqual(me.json.unit, { id: 'so-tu-phap', name: 'Sở Tư pháp' });
  assert.equal(me.json.track, 'cbccvc');
  assert.equal(me.json.attempts.length, 1);
  assert.deepEqual(me.json.attempts[0], {
    attempt_id: a.attempt_id, round_id: DEMO_ROUND, status: 'open', score: null, max_score: null, deadline_ms: a.deadline_ms,
  });

  // submit: answer the rest correctly in the submit body
  const rest = {};
  for (const q of a.questions.slice(3)) rest[String(q.id)] = correctAnswer(q);
  const expectCorrect = a.questions.filter((q) => {
    const mine = q.id in rest ? rest[q.id] : saved[q.id];
    return JSON.stringify(mine) === JSON.stringify(correctAnswer(q));
  }).length;
  const sub = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: p.token, body: { answers: rest } });
  assertStatus(sub, 200, 'submit');
  assert.deepEqual(Object.keys(sub.json).sort(), ['status', ...RESULT_KEYS].sort());
  assert.equal(sub.json.status, 'submitted');
  assert.equal(sub.json.total, a.questions.length);
  assert.equal(sub.json.max_score, a.questions.length);
  assert.equal(sub.json.correct, expectCorrect);
  assert.equal(sub.json.score, expectCorrect);
  assert.ok(sub.json.duration_ms >= 0 && sub.json.duration_ms < 600_000, `duration ${sub.json.duration_ms}`);

  const after = await srv.api('GET', `/api/attempts/${a.attempt_id}`, { token: p.token });
  assertStatus(after, 200);
  assert.equal(after.json.status, 'submitted');
  assert.equal(after.json.remaining_ms, 0);
  const { status, ...result } = sub.json;
  assert.deepEqual(after.json.result, result);
  assert.deepEqual(after.json.answers, { ...saved, ...rest });

  const me2 = await srv.api('GET', '/api/me', { token: p.token });
  assert.equal(me2.json.attempts[0].status, 'submitted');
  assert.equal(me2.json.attempts[0].score, expectCorrect);
  assert.equal(me2.json.attempts[0].max_score, a.questions.length);

  // round leaderboard: name and unit only
  const lb = await srv.api('GET', `/api/rounds/${DEMO_ROUND}/leaderboard?limit=200`);
  assertStatus(lb, 200, 'round leaderboard');
  assert.equal(lb.json.round_id, DEMO_ROUND);
  assert.equal(lb.json.provisional, true);
  assert.equal(lb.json.perfect_count, null);
  assert.deepEqual(lb.json.ranking, ['score_desc', 'prediction_error_asc', 'submitted_at_asc']);
  const mine = lb.json.entries.filter((e) => e.name === 'Trần Thị Bích Ngọc');
  assert.equal(mine.length, 1, `one entry for the participant: ${lb.text.slice(0, 500)}`);
  const e = mine[0];
  assert.equal(e.unit, 'Sở Tư pháp');
  assert.equal(e.track, 'cbccvc');
  assert.equal(e.score, expectCorrect);
  assert.equal(e.max_score, a.questions.length);
  assert.equal(e.correct, expectCorrect);
  assert.equal(e.duration_ms, sub.json.duration_ms);
  assert.equal(e.prediction_error, null, 'no prediction error while provisional');
  assert.ok(Number.isInteger(e.rank) && e.rank >= 1);
  assert.deepEqual(Object.keys(e).sort(),
    ['correct', 'duration_ms', 'max_score', 'name', 'prediction_error', 'rank', 'score', 'submitted_at', 'track', 'unit']);
  for (const secret of [national, phoneDigits, cccd, cccd.slice(3)]) {
    assert.ok(!lb.text.includes(secret), `round leaderboard leaks ${secret}`);
  }
  assert.ok(!/"(phone|cccd|email)"/.test(lb.text), 'no phone/cccd/email keys on the leaderboard');

  // contest leaderboard
  const cb = await srv.api('GET', `/api/contests/${DEMO}/leaderboard?limit=200`);
  assertStatus(cb, 200, 'contest leaderboard');
  assert.equal(cb.json.aggregate, 'best');
  const ce = cb.json.entries.filter((x) => x.name === 'Trần Thị Bích Ngọc');
  assert.equal(ce.length, 1);
  assert.equal(ce[0].unit, 'Sở Tư pháp');
  assert.equal(ce[0].score, expectCorrect);
  assert.equal(ce[0].rounds_counted, 1);
  for (const secret of [national, cccd.slice(3)]) assert.ok(!cb.text.includes(secret), `contest leaderboard leaks ${secret}`);
  assert.ok(!/"(phone|cccd|email)"/.test(cb.text));

  // units table
  const units = await srv.api('GET', `/api/contests/${DEMO}/units`);
  assertStatus(units, 200, 'units');
  const u = units.json.units.find((x) => x.id === 'so-tu-phap');
  assert.equal(u.name, 'Sở Tư pháp');
  assert.equal(u.block, 'Sở, ban, ngành cấp tỉnh');
  assert.equal(u.headcount, 60);
  assert.equal(u.participants, uBefore.participants + 1);
  assert.equal(u.finished_attempts, uBefore.finished_attempts + 1);
  assert.equal(typeof u.average_score, 'number');
  assert.ok(Math.abs(u.participation_rate - u.participants / 60) < 0.0001, `participation_rate ${u.participation_rate}`);
  const noHead = units.json.units.find((x) => x.id === 'nguoi-dan');
  assert.equal(noHead.headcount, null);
  assert.equal(noHead.participation_rate, null);
  for (const secret of [national, cccd.slice(3)]) assert.ok(!units.text.includes(secret));
});

test('the answer key is in no response before the attempt is final', async () => {
  for (const [contest, round] of [[DEMO, DEMO_ROUND], [STD, STD_ROUND]]) {
    const p = await register(srv, contest, { full_name: 'Phạm Văn Khóa', unit_id: 'so-noi-vu' });
    const bodies = [];
    const s = await srv.api('POST', `/api/rounds/${round}/attempts`, { token: p.token, body: {} });
    assertStatus(s, 201);
    bodies.push(['start', s.text]);
    const a = s.json;
    const put = await srv.api('PUT', `/api/attempts/${a.attempt_id}/answers`, {
      token: p.token, body: { answers: answersFor(a, correctAnswer), prediction: 7 },
    });
    assertStatus(put, 200);
    bodies.push(['PUT', put.text]);
    const g = await srv.api('GET', `/api/attempts/${a.attempt_id}`, { token: p.token });
    bodies.push(['GET', g.text]);
    const again = await srv.api('POST', `/api/rounds/${round}/attempts`, { token: p.token, body: {} });
    assertStatus(again, 200);
    bodies.push(['start again', again.text]);
    const me = await srv.api('GET', '/api/me', { token: p.token });
    bodies.push(['me', me.text]);
    const review = await srv.api('GET', `/api/attempts/${a.attempt_id}/review`, { token: p.token });
    assertError(review, 403, 'review_not_available');
    bodies.push(['review before submit', review.text]);
    const c = await srv.api('GET', `/api/contests/${contest}`);
    bodies.push(['contest', c.text]);
    for (const [what, text] of bodies) assertNoKey(text, `${contest} ${what}`);
  }
});

test('scoring: all correct is a perfect score, all wrong is 0, a mix counts exactly', async () => {
  // perfect
  const p1 = await register(srv, STD, { full_name: 'Hoàng Minh Đúng' });
  const a1 = await startAttempt(srv, p1.token, STD_ROUND);
  assert.equal(a1.questions.length, 10);
  const s1 = await srv.api('POST', `/api/attempts/${a1.attempt_id}/submit`, {
    token: p1.token, body: { answers: answersFor(a1, correctAnswer), prediction: 3 },
  });
  assertStatus(s1, 200, 'perfect submit');
  assert.equal(s1.json.correct, 10);
  assert.equal(s1.json.total, 10);
  assert.equal(s1.json.score, 10);
  assert.equal(s1.json.max_score, 10);

  // all wrong
  const p2 = await register(srv, STD, { full_name: 'Hoàng Minh Sai' });
  const a2 = await startAttempt(srv, p2.token, STD_ROUND);
  const put = await srv.api('PUT', `/api/attempts/${a2.attempt_id}/answers`, {
    token: p2.token, body: { answers: answersFor(a2, wrongAnswer) },
  });
  assertStatus(put, 200);
  const s2 = await srv.api('POST', `/api/attempts/${a2.attempt_id}/submit`, { token: p2.token, body: {} });
  assertStatus(s2, 200, 'all-wrong submit');
  assert.equal(s2.json.correct, 0);
  assert.equal(s2.json.score, 0);
  assert.equal(s2.json.max_score, 10);

  // a mix: even positions right, odd wrong, one left blank; multi-select
  // questions answered with a strict subset of the key count as wrong.
  const p3 = await register(srv, STD, { full_name: 'Hoàng Minh Vừa' });
  const a3 = await startAttempt(srv, p3.token, STD_ROUND);
  const answers = {};
  let expected = 0;
  a3.questions.forEach((q, i) => {
    if (i === a3.questions.length - 1) return; // blank
    if (i % 2 === 0) { answers[q.id] = correctAnswer(q); expected++; } else answers[q.id] = wrongAnswer(q);
  });
  const s3 = await srv.api('POST', `/api/attempts/${a3.attempt_id}/submit`, { token: p3.token, body: { answers } });
  assertStatus(s3, 200);
  assert.equal(s3.json.correct, expected);
  assert.equal(s3.json.score, expected);
  assert.equal(s3.json.total, 10);

  // a single index for a multi-select question is accepted as [index]
  const p4 = await register(srv, STD, { full_name: 'Hoàng Minh Nhiều' });
  const a4 = await startAttempt(srv, p4.token, STD_ROUND);
  const multi = a4.questions.find((q) => q.multi);
  if (multi) {
    const put4 = await srv.api('PUT', `/api/attempts/${a4.attempt_id}/answers`, {
      token: p4.token, body: { answers: { [multi.id]: 0 } },
    });
    assertStatus(put4, 200);
    const g4 = await srv.api('GET', `/api/attempts/${a4.attempt_id}`, { token: p4.token });
    assert.deepEqual(g4.json.answers[multi.id], [0]);
  }
});

test('double submit returns the same result and the leaderboard counts it once', async () => {
  const before = (await srv.api('GET', `/api/rounds/${STD_ROUND}/leaderboard`)).json.total;
  const p = await register(srv, STD, { full_name: 'Đỗ Thị Hai Lần' });
  const a = await startAttempt(srv, p.token, STD_ROUND);
  const answers = answersFor(a, correctAnswer);
  const firstId = a.questions[0].id;
  answers[firstId] = wrongAnswer(a.questions[0]);
  const s1 = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: p.token, body: { answers } });
  assertStatus(s1, 200);
  assert.equal(s1.json.correct, 9);
  // the second submit tries to change an answer: ignored, same result
  const s2 = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, {
    token: p.token, body: { answers: { [firstId]: correctAnswer(a.questions[0]) } },
  });
  assertStatus(s2, 200, 'second submit');
  assert.deepEqual(s2.json, s1.json);
  const s3 = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: p.token });
  assertStatus(s3, 200, 'third submit, no body');
  assert.deepEqual(s3.json, s1.json);
  // and a save after submit is refused
  const put = await srv.api('PUT', `/api/attempts/${a.attempt_id}/answers`, { token: p.token, body: { answers: {} } });
  assertError(put, 409, 'late');

  const lb = await srv.api('GET', `/api/rounds/${STD_ROUND}/leaderboard?limit=200`);
  assert.equal(lb.json.total, before + 1);
  const mine = lb.json.entries.filter((e) => e.name === 'Đỗ Thị Hai Lần');
  assert.equal(mine.length, 1);
  assert.equal(mine[0].score, 9);
  const units = (await srv.api('GET', `/api/contests/${STD}/units`)).json.units;
  assert.ok(units.every((u) => Number.isInteger(u.finished_attempts)));
  const me = await srv.api('GET', '/api/me', { token: p.token });
  assert.equal(me.json.attempts.length, 1);
});

test('attempt limit and best-attempt counting', async () => {
  const p = await register(srv, STD, { full_name: 'Vũ Văn Hai Lượt', unit_id: 'so-tu-phap' });
  const a1 = await startAttempt(srv, p.token, STD_ROUND);
  const s1 = await srv.api('POST', `/api/attempts/${a1.attempt_id}/submit`, {
    token: p.token, body: { answers: answersFor(a1, correctAnswer) },
  });
  assertStatus(s1, 200);
  assert.equal(s1.json.score, 10);

  const a2 = await startAttempt(srv, p.token, STD_ROUND, 201);
  assert.notEqual(a2.attempt_id, a1.attempt_id);
  assert.deepEqual(a2.answers, {}, 'a new attempt starts empty');
  // while it is open, starting again returns it
  const again = await startAttempt(srv, p.token, STD_ROUND, 200);
  assert.equal(again.attempt_id, a2.attempt_id);
  const s2 = await srv.api('POST', `/api/attempts/${a2.attempt_id}/submit`, {
    token: p.token, body: { answers: answersFor(a2, wrongAnswer) },
  });
  assertStatus(s2, 200);
  assert.equal(s2.json.score, 0);

  const third = await srv.api('POST', `/api/rounds/${STD_ROUND}/attempts`, { token: p.token, body: {} });
  assertError(third, 409, 'attempt_limit');

  const lb = await srv.api('GET', `/api/rounds/${STD_ROUND}/leaderboard?limit=200`);
  const mine = lb.json.entries.filter((e) => e.name === 'Vũ Văn Hai Lượt');
  assert.equal(mine.length, 1, 'one leaderboard entry for two attempts');
  assert.equal(mine[0].score, 10, 'the worse second attempt does not replace the best');
  assert.equal(mine[0].correct, 10);
  assert.equal(mine[0].duration_ms, s1.json.duration_ms, 'the entry is the first attempt');

  const me = await srv.api('GET', '/api/me', { token: p.token });
  assert.deepEqual(me.json.attempts.map((x) => [x.attempt_id, x.status, x.score]),
    [[a1.attempt_id, 'submitted', 10], [a2.attempt_id, 'submitted', 0]]);
  const cb = await srv.api('GET', `/api/contests/${STD}/leaderboard?limit=200`);
  const ce = cb.json.entries.filter((e) => e.name === 'Vũ Văn Hai Lượt');
  assert.equal(ce.length, 1);
  assert.equal(ce[0].score, 10);
});

test('review: refused before submit; after submit (after_submit) it has the key, explanations and sources', async () => {
  const p = await register(srv, STD, { full_name: 'Ngô Thị Xem Lại' });
  const a = await startAttempt(srv, p.token, STD_ROUND);
  const r0 = await srv.api('GET', `/api/attempts/${a.attempt_id}/review`, { token: p.token });
  assertError(r0, 403, 'review_not_available');
  assertNoKey(r0.text, 'review refused');

  const answers = {};
  a.questions.forEach((q, i) => {
    if (i === 1) return; // unanswered
    answers[q.id] = i % 3 === 0 ? wrongAnswer(q) : correctAnswer(q);
  });
  const s = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: p.token, body: { answers } });
  assertStatus(s, 200);

  const r = await srv.api('GET', `/api/attempts/${a.attempt_id}/review`, { token: p.token });
  assertStatus(r, 200, 'review');
  const { status, ...result } = s.json;
  assert.deepEqual(r.json.result, result);
  assert.equal(r.json.questions.length, a.questions.length);
  let nCorrect = 0;
  r.json.questions.forEach((q, i) => {
    const shown = a.questions[i];
    assert.equal(q.id, shown.id, 'same order as the paper');
    assert.equal(q.text, shown.text);
    assert.deepEqual(q.options, shown.options, 'options in the displayed order');
    assert.equal(q.multi, shown.multi);
    const key = correctAnswer(shown);
    assert.deepEqual(q.correct_answer, key, `correct_answer of ${q.id} in displayed indices`);
    const mine = answers[q.id] === undefined ? null : answers[q.id];
    assert.deepEqual(q.your_answer, mine, `your_answer of ${q.id}`);
    assert.equal(q.is_correct, JSON.stringify(mine) === JSON.stringify(key), `is_correct of ${q.id}`);
    if (q.is_correct) nCorrect++;
    const { k } = lookup(shown);
    assert.equal(typeof q.explanation, 'string');
    assert.ok(q.explanation.length > 0, `explanation of ${q.id}`);
    assert.equal(q.explanation, (k.q.explanation || '').normalize('NFC'));
    assert.equal(typeof q.source, 'object');
    assert.equal(q.source.document, k.q.source.document.normalize('NFC'));
  });
  assert.equal(nCorrect, s.json.correct, 'is_correct consistent with the score');
  assert.equal(s.json.score, nCorrect);
});

test('review: after_close contest refuses the review after submit, and GET stays key-free', async () => {
  const p = await register(srv, DEMO, { full_name: 'Ngô Văn Chờ Đóng' });
  const a = await startAttempt(srv, p.token, DEMO_ROUND);
  const s = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: p.token, body: { answers: answersFor(a, correctAnswer) } });
  assertStatus(s, 200);
  const r = await srv.api('GET', `/api/attempts/${a.attempt_id}/review`, { token: p.token });
  assertError(r, 403, 'review_not_available');
  assertNoKey(r.text, 'review after_close');
  const g = await srv.api('GET', `/api/attempts/${a.attempt_id}`, { token: p.token });
  assertNoKey(g.text, 'GET after submit, review after_close', { final: true });
  assert.equal(g.json.status, 'submitted');
});

test('resume from another device: phone written differently + name with other spacing/case', async () => {
  const phone = newPhone();
  const p = await register(srv, DEMO, { full_name: 'Lê Văn Tám', phone, unit_id: 'tp-vinh' });
  const a = await startAttempt(srv, p.token, DEMO_ROUND);
  // a single-choice question: a multi-select answer is stored as a list
  const q = a.questions.find((x) => !x.multi);
  await srv.api('PUT', `/api/attempts/${a.attempt_id}/answers`, {
    token: p.token, body: { answers: { [q.id]: 1 } },
  });

  const intl = `+84 ${phone.slice(1, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`;
  const s = await srv.api('POST', `/api/contests/${DEMO}/sessions`, { body: { phone: intl, full_name: '  lê   VĂN  tám ' } });
  assertStatus(s, 200, 'session');
  assert.equal(s.json.participant_id, p.participant_id);
  assert.match(s.json.token, /^[0-9a-f]{64}$/);
  assert.notEqual(s.json.token, p.token);

  const g = await srv.api('GET', `/api/attempts/${a.attempt_id}`, { token: s.json.token });
  assertStatus(g, 200, 'GET attempt with the new token');
  assert.equal(g.json.attempt_id, a.attempt_id);
  assert.deepEqual(g.json.answers, { [q.id]: 1 });
  const again = await startAttempt(srv, s.json.token, DEMO_ROUND, 200);
  assert.equal(again.attempt_id, a.attempt_id);
  // the old token stays valid
  assertStatus(await srv.api('GET', '/api/me', { token: p.token }), 200, 'old token');

  // the name decomposed (NFD) still matches
  const nfd = await srv.api('POST', `/api/contests/${DEMO}/sessions`, { body: { phone, full_name: 'Lê Văn Tám'.normalize('NFD') } });
  assertStatus(nfd, 200, 'NFD name');
  // a different name, or an unknown phone: 401
  assertError(await srv.api('POST', `/api/contests/${DEMO}/sessions`, { body: { phone, full_name: 'Lê Văn Chín' } }), 401, 'unauthorized');
  assertError(await srv.api('POST', `/api/contests/${DEMO}/sessions`, { body: { phone: newPhone(), full_name: 'Lê Văn Tám' } }), 401, 'unauthorized');
  // the same person is not known in another contest
  assertError(await srv.api('POST', `/api/contests/${STD}/sessions`, { body: { phone, full_name: 'Lê Văn Tám' } }), 401, 'unauthorized');
  assertError(await srv.api('POST', `/api/contests/${DEMO}/sessions`, { body: { phone: 'abc', full_name: 'Lê Văn Tám' } }), 400, 'validation', 'phone');
  assertError(await srv.api('POST', `/api/contests/${DEMO}/sessions`, { body: { phone } }), 400, 'validation', 'full_name');
});

test('resume in a contest that requires CCCD needs the CCCD too', async () => {
  const cccd = newCccd();
  const p = await register(srv, CCCD, { full_name: 'Bùi Thị Căn Cước', unit_id: 'nguoi-dan', track: 'citizen', cccd });
  const body = { phone: p.phone, full_name: 'Bùi Thị Căn Cước' };
  assertError(await srv.api('POST', `/api/contests/${CCCD}/sessions`, { body }), 400, 'validation', 'cccd');
  assertError(await srv.api('POST', `/api/contests/${CCCD}/sessions`, { body: { ...body, cccd: newCccd() } }), 401, 'unauthorized');
  const ok = await srv.api('POST', `/api/contests/${CCCD}/sessions`, { body: { ...body, cccd: `${cccd.slice(0, 6)} ${cccd.slice(6)}` } });
  assertStatus(ok, 200, 'session with CCCD');
  assert.equal(ok.json.participant_id, p.participant_id);
});

test('concurrent starts make one attempt; concurrent submits give one result', async () => {
  const p = await register(srv, STD, { full_name: 'Lý Văn Song Song' });
  const starts = await Promise.all(Array.from({ length: 6 }, () =>
    srv.api('POST', `/api/rounds/${STD_ROUND}/attempts`, { token: p.token, body: {} })));
  const codes = starts.map((r) => r.status).sort();
  assert.deepEqual(codes, [200, 200, 200, 200, 200, 201], `one 201, the rest 200: ${codes}`);
  const ids = new Set(starts.map((r) => r.json.attempt_id));
  assert.equal(ids.size, 1, 'all the same attempt');
  const a = starts[0].json;
  const answers = answersFor(a, correctAnswer);
  const subs = await Promise.all(Array.from({ length: 6 }, (_, i) =>
    srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: p.token, body: i === 0 ? { answers } : {} })));
  for (const s of subs) assertStatus(s, 200, 'concurrent submit');
  const bodies = new Set(subs.map((s) => s.text));
  assert.equal(bodies.size, 1, `one result: ${[...bodies].join(' | ')}`);
  const lb = await srv.api('GET', `/api/rounds/${STD_ROUND}/leaderboard?limit=200`);
  assert.equal(lb.json.entries.filter((e) => e.name === 'Lý Văn Song Song').length, 1);
  const me = await srv.api('GET', '/api/me', { token: p.token });
  assert.equal(me.json.attempts.length, 1);
});

test('leaderboard: track filter, paging, query validation', async () => {
  const c = await register(srv, STD, { full_name: 'Người Dân Thi Thử', unit_id: 'nguoi-dan', track: 'citizen' });
  const a = await startAttempt(srv, c.token, STD_ROUND);
  for (const q of a.questions) {
    const { k } = lookup(q);
    assert.ok(k.q.track === 'both' || k.q.track === 'citizen', `a citizen gets only citizen/both questions (${k.q.id})`);
  }
  assertStatus(await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: c.token, body: { answers: answersFor(a, correctAnswer) } }), 200);
  const cit = await srv.api('GET', `/api/rounds/${STD_ROUND}/leaderboard?track=citizen&limit=200`);
  assertStatus(cit, 200);
  assert.ok(cit.json.entries.length >= 1);
  assert.ok(cit.json.entries.every((e) => e.track === 'citizen'));
  assert.equal(cit.json.total, cit.json.entries.length);
  assert.ok(cit.json.entries.some((e) => e.name === 'Người Dân Thi Thử' && e.unit === 'Người dân (không thuộc cơ quan nhà nước)'));
  const civ = await srv.api('GET', `/api/rounds/${STD_ROUND}/leaderboard?track=cbccvc&limit=200`);
  assert.ok(civ.json.entries.every((e) => e.track === 'cbccvc'));
  const all = await srv.api('GET', `/api/rounds/${STD_ROUND}/leaderboard?limit=200`);
  assert.equal(all.json.total, cit.json.total + civ.json.total);
  assert.deepEqual(all.json.entries.map((e) => e.rank), all.json.entries.map((_, i) => i + 1));
  const page = await srv.api('GET', `/api/rounds/${STD_ROUND}/leaderboard?limit=2&offset=1`);
  assertStatus(page, 200);
  assert.deepEqual(page.json.entries.map((e) => [e.rank, e.name]), all.json.entries.slice(1, 3).map((e) => [e.rank, e.name]));
  const ccit = await srv.api('GET', `/api/contests/${STD}/leaderboard?track=citizen`);
  assert.ok(ccit.json.entries.every((e) => e.track === 'citizen'));
  for (const [q, field] of [['limit=0', 'limit'], ['limit=201', 'limit'], ['limit=abc', 'limit'], ['limit=', 'limit'],
    ['offset=-1', 'offset'], ['offset=x', 'offset'], ['track=student', 'track']]) {
    assertError(await srv.api('GET', `/api/rounds/${STD_ROUND}/leaderboard?${q}`), 400, 'validation', field);
    assertError(await srv.api('GET', `/api/contests/${STD}/leaderboard?${q}`), 400, 'validation', field);
  }
});
