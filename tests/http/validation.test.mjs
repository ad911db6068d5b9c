// Registration and answer validation: every 400 names its field; duplicates are 409.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, register, roundId, startAttempt, assertStatus, assertError, correctAnswer,
  newPhone, newCccd, DEMO,
} from './lib.mjs';

const srv = await startServer({ contests: ['std.json', 'cccd.json'] });
const DEMO_ROUND = await roundId(srv, DEMO, 0);
const STD = 'std-cchc';
const CCCD = 'cccd-cchc';

const valid = () => ({
  full_name: 'Nguyễn Thị Hợp Lệ', unit_id: 'so-noi-vu', phone: newPhone(), track: 'cbccvc', consent: true,
});
const reg = (body, contest = DEMO) => srv.api('POST', `/api/contests/${contest}/participants`, { body });

test('duplicate registration: the same phone written differently is 409 duplicate/phone', async () => {
  const digits = newPhone(); // 09xxxxxxxx
  const nat = digits.slice(1);
  await register(srv, DEMO, { phone: digits, full_name: 'Phan Văn Một' });
  for (const variant of [
    `+84 ${nat.slice(0, 3)} ${nat.slice(3, 6)} ${nat.slice(6)}`,
    `+84${nat}`,
    `84 ${nat}`,
    `0084${nat}`,
    `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`,
    digits,
  ]) {
    const r = await reg({ ...valid(), phone: variant, full_name: 'Phan Văn Hai' });
    assertError(r, 409, 'duplicate', 'phone');
  }
  // the other way round: first with +84
  const d2 = newPhone();
  await register(srv, DEMO, { phone: `+84 ${d2.slice(1, 4)} ${d2.slice(4, 7)} ${d2.slice(7)}` });
  assertError(await reg({ ...valid(), phone: d2 }), 409, 'duplicate', 'phone');
  // the same phone may register in another contest
  await register(srv, STD, { phone: digits, full_name: 'Phan Văn Một' });
});

test('duplicate registration: the same CCCD is 409 duplicate/cccd', async () => {
  const cccd = newCccd();
  await register(srv, DEMO, { cccd, full_name: 'Phan Thị CCCD' });
  assertError(await reg({ ...valid(), cccd }), 409, 'duplicate', 'cccd');
  assertError(await reg({ ...valid(), cccd: `${cccd.slice(0, 4)} ${cccd.slice(4, 8)} ${cccd.slice(8)}` }), 409, 'duplicate', 'cccd');
  // in a contest that requires it
  const c2 = newCccd();
  await register(srv, CCCD, { cccd: c2, unit_id: 'nguoi-dan', track: 'citizen' });
  assertError(await reg({ ...valid(), unit_id: 'nguoi-dan', track: 'citizen', cccd: c2 }, CCCD), 409, 'duplicate', 'cccd');
});

test('registration validation names the field', async () => {
  const cases = [
    ['missing full_name', (b) => { delete b.full_name; }, 'full_name'],
    ['empty full_name', (b) => { b.full_name = '   '; }, 'full_name'],
    ['one-letter full_name', (b) => { b.full_name = 'A'; }, 'full_name'],
    ['full_name with markup', (b) => { b.full_name = 'Nguyễn <b>Văn</b> A'; }, 'full_name'],
    ['full_name not a string', (b) => { b.full_name = 12; }, 'full_name'],
    ['full_name too long', (b) => { b.full_name = 'Nguyễn '.repeat(20); }, 'full_name'],
    ['missing unit_id', (b) => { delete b.unit_id; }, 'unit_id'],
    ['unknown unit_id', (b) => { b.unit_id = 'so-khong-co'; }, 'unit_id'],
    ['unit_id not a string', (b) => { b.unit_id = 7; }, 'unit_id'],
    ['missing phone', (b) => { delete b.phone; }, 'phone'],
    ['short phone', (b) => { b.phone = '09123'; }, 'phone'],
    ['letters in phone', (b) => { b.phone = '09abc45678'; }, 'phone'],
    ['phone not Vietnamese', (b) => { b.phone = '+1 202 555 0100'; }, 'phone'],
    ['phone too long', (b) => { b.phone = '091234567890123'; }, 'phone'],
    ['consent false', (b) => { b.consent = false; }, 'consent'],
    ['consent missing', (b) => { delete b.consent; }, 'consent'],
    ['consent as a string', (b) => { b.consent = 'true'; }, 'consent'],
    ['bad track', (b) => { b.track = 'hoc-sinh'; }, 'track'],
    ['missing track', (b) => { delete b.track; }, 'track'],
    ['track "both" is not a choice', (b) => { b.track = 'both'; }, 'track'],
    ['bad cccd', (b) => { b.cccd = '12345'; }, 'cccd'],
    ['cccd with letters', (b) => { b.cccd = '04020000000A'; }, 'cccd'],
    ['unknown extra key', (b) => { b.address = 'Vinh'; }, 'address'],
    ['unknown key, typo', (b) => { b.fullname = 'X'; }, 'fullname'],
  ];
  for (const [what, mutate, field] of cases) {
    const b = valid();
    mutate(b);
    const r = await reg(b);
    assert.equal(r.status, 400, `${what}: ${r.status} ${r.text}`);
    assert.equal(r.json.error.code, 'validation', `${what}: ${r.text}`);
    assert.equal(r.json.error.field, field, `${what}: ${r.text}`);
  }
  // per-contest settings: CCCD required; track not offered; email format when collected
  assertError(await reg({ ...valid(), unit_id: 'nguoi-dan', track: 'citizen' }, CCCD), 400, 'validation', 'cccd');
  assertError(await reg({ ...valid(), unit_id: 'nguoi-dan', track: 'cbccvc', cccd: newCccd() }, CCCD), 400, 'validation', 'track');
  assertError(await reg({ ...valid(), unit_id: 'so-noi-vu', track: 'citizen', cccd: newCccd() }, CCCD), 400, 'validation', 'unit_id');
  assertError(await reg({ ...valid(), email: 'khong-phai-email' }, STD), 400, 'validation', 'email');
  assertStatus(await reg({ ...valid(), email: 'nguoi.thi@example.vn' }, STD), 201, 'valid email');
  // nothing was stored by the failed attempts: the phone is still free
  const phone = newPhone();
  assertError(await reg({ ...valid(), phone, consent: false }), 400, 'validation', 'consent');
  assertStatus(await reg({ ...valid(), phone }), 201, 'phone free after a refused registration');
});

test('malformed or non-object JSON is 400 bad_json', async () => {
  for (const body of ['{"full_name": "A",', '{full_name: 1}', 'null', '[1,2]', '"x"', '{"a":1}{', '{"phone":"1","phone":"2"}']) {
    const r = await srv.api('POST', `/api/contests/${DEMO}/participants`, { body });
    assertError(r, 400, 'bad_json');
    assert.equal(r.json.error.field, null);
  }
  const p = await register(srv);
  const a = await startAttempt(srv, p.token, DEMO_ROUND);
  assertError(await srv.api('PUT', `/api/attempts/${a.attempt_id}/answers`, { token: p.token, body: '{"answers": {' }), 400, 'bad_json');
  assertError(await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: p.token, body: '[]' }), 400, 'bad_json');
  assertError(await srv.api('POST', `/api/rounds/${DEMO_ROUND}/attempts`, { token: p.token, body: 'nope' }), 400, 'bad_json');
  const g = await srv.api('GET', `/api/attempts/${a.attempt_id}`, { token: p.token });
  assert.equal(g.json.status, 'open', 'a bad submit body does not finalise the attempt');
});

test('answer validation names the field and changes nothing', async () => {
  const p = await register(srv);
  const a = await startAttempt(srv, p.token, DEMO_ROUND);
  const single = a.questions.find((q) => !q.multi);
  const nopt = single.options.length;
  const good = { [single.id]: 1 };
  assertStatus(await srv.api('PUT', `/api/attempts/${a.attempt_id}/answers`, { token: p.token, body: { answers: good, prediction: 9 } }), 200);

  const notInAttempt = Math.max(...a.questions.map((q) => q.id)) + 1000;
  const other = a.questions.find((q) => q.id !== single.id);
  const cases = [
    ['a question not in the attempt', { answers: { [notInAttempt]: 0 } }, `answers.${notInAttempt}`],
    ['a non-numeric question id', { answers: { abc: 0 } }, 'answers.abc'],
    ['option index = number of options', { answers: { [single.id]: nopt } }, `answers.${single.id}`],
    ['option index 99', { answers: { [single.id]: 99 } }, `answers.${single.id}`],
    ['negative option index', { answers: { [single.id]: -1 } }, `answers.${single.id}`],
    ['two options for a single-choice question', { answers: { [single.id]: [0, 1] } }, `answers.${single.id}`],
    ['a repeated index', { answers: { [single.id]: [1, 1] } }, `answers.${single.id}`],
    ['an index as a string', { answers: { [single.id]: '1' } }, `answers.${single.id}`],
    ['a fractional index', { answers: { [single.id]: 1.5 } }, `answers.${single.id}`],
    ['answers not an object', { answers: [1, 2] }, 'answers'],
    ['negative prediction', { prediction: -1 }, 'prediction'],
    ['fractional prediction', { prediction: 2.5 }, 'prediction'],
    ['prediction as a string', { prediction: '12' }, 'prediction'],
    ['huge prediction', { prediction: 1e12 }, 'prediction'],
    ['unknown key', { answer: {} }, 'answer'],
    // one good answer with a bad one: the whole request is refused
    ['a bad answer next to a good one', { answers: { [other.id]: 0, [single.id]: nopt } }, `answers.${single.id}`],
  ];
  for (const method of ['PUT', 'POST']) {
    const url = method === 'PUT' ? `/api/attempts/${a.attempt_id}/answers` : `/api/attempts/${a.attempt_id}/submit`;
    for (const [what, body, field] of cases) {
      const r = await srv.api(method, url, { token: p.token, body });
      assert.equal(r.status, 400, `${method} ${what}: ${r.status} ${r.text}`);
      assert.equal(r.json.error.code, 'validation', `${method} ${what}: ${r.text}`);
      assert.equal(r.json.error.field, field, `${method} ${what}: ${r.text}`);
    }
  }
  const g = await srv.api('GET', `/api/attempts/${a.attempt_id}`, { token: p.token });
  assert.equal(g.json.status, 'open', 'refused submits do not finalise');
  assert.deepEqual(g.json.answers, good, 'refused saves change nothing');
  assert.equal(g.json.prediction, 9);
  // null clears an answer and the prediction
  const clr = await srv.api('PUT', `/api/attempts/${a.attempt_id}/answers`, { token: p.token, body: { answers: { [single.id]: null }, prediction: null } });
  assertStatus(clr, 200);
  const g2 = await srv.api('GET', `/api/attempts/${a.attempt_id}`, { token: p.token });
  assert.deepEqual(g2.json.answers, {});
  assert.equal(g2.json.prediction, null);
  // the largest allowed prediction and 0 are fine
  assertStatus(await srv.api('PUT', `/api/attempts/${a.attempt_id}/answers`, { token: p.token, body: { prediction: 0 } }), 200);
});

test('an answer keyed by a non-canonical question id ("0345", " 345", "+345") is refused or stored under the real id', async () => {
  const p = await register(srv, STD, { full_name: 'Cao Văn Khóa Lạ' });
  const a = await startAttempt(srv, p.token, await roundId(srv, STD, 0));
  const [q0, q1, q2] = a.questions;
  const body = { answers: { [`0${q0.id}`]: correctAnswer(q0), [` ${q1.id}`]: correctAnswer(q1), [`+${q2.id}`]: correctAnswer(q2) } };
  const put = await srv.api('PUT', `/api/attempts/${a.attempt_id}/answers`, { token: p.token, body });
  if (put.status === 400) {
    assert.equal(put.json.error.code, 'validation');
    assert.match(put.json.error.field, /^answers\./);
    return;
  }
  assertStatus(put, 200, 'PUT with odd keys');
  const g = await srv.api('GET', `/api/attempts/${a.attempt_id}`, { token: p.token });
  // accepted: then they must be the answers to those questions, under their ids, and scored
  assert.deepEqual(Object.keys(g.json.answers).sort(), [q0.id, q1.id, q2.id].map(String).sort(),
    `saved answers are keyed by question id: ${JSON.stringify(g.json.answers)}`);
  const s = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: p.token, body: {} });
  assert.equal(s.json.correct, 3, `accepted answers are scored: ${s.text}`);
});

test('concurrent registrations with the same phone: one 201, the others 409 duplicate', async () => {
  const digits = newPhone();
  const nat = digits.slice(1);
  const forms = [digits, `+84${nat}`, `84 ${nat}`, `+84 ${nat.slice(0, 3)} ${nat.slice(3, 6)} ${nat.slice(6)}`, `0084${nat}`, digits];
  const rs = await Promise.all(forms.map((phone, i) => reg({ ...valid(), phone, full_name: `Người Cùng Số ${i + 1}` })));
  const codes = rs.map((r) => r.status).sort();
  assert.deepEqual(codes, [201, 409, 409, 409, 409, 409], `statuses: ${rs.map((r) => r.text).join(' | ')}`);
  for (const r of rs.filter((x) => x.status === 409)) assertError(r, 409, 'duplicate', 'phone');
});

test('names are stored in NFC with spaces collapsed', async () => {
  const p = await register(srv, DEMO, { full_name: '  Nguyễn   Thị\tÁnh  Tuyết '.normalize('NFD') });
  const me = await srv.api('GET', '/api/me', { token: p.token });
  assertStatus(me, 200);
  assert.equal(me.json.full_name, 'Nguyễn Thị Ánh Tuyết');
  assert.equal(me.json.full_name, me.json.full_name.normalize('NFC'));
});
