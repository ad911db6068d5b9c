// The organiser's and judges' consoles over HTTP: role checks of every console
// route, the audit log (written on every change, impossible to change),
// disqualification, extending and reopening an attempt, erasure and export of
// personal data, the frozen public board, prizes with a tie broken by the
// prediction, publication, live boards (server-sent events), statistics and
// the XLSX/CSV exports read back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  startServer, login, register, startAttempt, roundId, answersFor, correctAnswer, wrongAnswer,
  assertStatus, assertError, waitFor, waitServerTime, FIXTURES, newCccd, sleep,
} from './lib.mjs';
import { readXlsx } from './xlsx.mjs';

const CONTEST = 'console-cchc';
const srv = await startServer({
  staff: [
    { username: 'quantri', role: 'admin' },
    { username: 'bantochuc', role: 'organiser' },
    { username: 'giamkhao', role: 'judge' },
    { username: 'giamkhao2', role: 'judge' },
  ],
  contests: ['console.json'],
});
const admin = await login(srv, 'quantri');
const org = await login(srv, 'bantochuc');
const judge = await login(srv, 'giamkhao');
const ROUND_OPEN = await roundId(srv, CONTEST, 0);

const as = (who, method, p, body) => srv.api(method, p, { cookie: who.cookie, csrf: who.csrf, body });
const serverNow = async () => (await srv.api('GET', '/healthz')).json.server_time_ms;

// Resolved tokens are cached: ask as many at once as it takes to reach both
// HTTP threads, and every answer must be `status`.
async function meEverywhere(token, status) {
  const rs = await Promise.all(Array.from({ length: 12 }, () => srv.api('GET', '/api/me', { token })));
  for (const r of rs) assert.equal(r.status, status, `GET /api/me: ${r.status} ${r.text}`);
}

async function submitted(fields, answerPick, prediction, round = ROUND_OPEN) {
  const p = await register(srv, CONTEST, fields);
  const a = await startAttempt(srv, p.token, round);
  const body = { answers: answersFor(a, answerPick) };
  if (prediction !== undefined) body.prediction = prediction;
  const s = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: p.token, body });
  assertStatus(s, 200, 'submit');
  return { ...p, attempt: a, result: s.json };
}

async function auditEntries(action) {
  const r = await as(judge, 'GET', `/api/admin/audit?limit=200&action=${encodeURIComponent(action)}`);
  assertStatus(r, 200, 'audit');
  return r.json.entries;
}

// ---------------------------------------------------------------- roles

// Every console route: who may call it. 'organiser' includes admin.
const ROUTES = [
  ['GET', '/api/admin/accounts', ['admin']],
  ['GET', `/api/admin/contests/${CONTEST}`, ['organiser', 'judge']],
  ['GET', '/api/admin/question-counts?contest=' + CONTEST, ['organiser']],
  ['GET', '/api/admin/banks/1/questions', ['organiser']],
  ['GET', `/api/admin/contests/${CONTEST}/participants?q=nguyen`, ['organiser']],
  ['GET', '/api/admin/participants/1', ['organiser']],
  ['GET', '/api/admin/participants/1/export', ['organiser']],
  ['POST', '/api/admin/participants/999999/disqualify', ['organiser']],
  ['POST', '/api/admin/participants/999999/reinstate', ['organiser']],
  ['POST', '/api/admin/participants/999999/erase', ['organiser']],
  ['POST', '/api/admin/attempts/999999/extend', ['organiser']],
  ['POST', '/api/admin/attempts/999999/reopen', ['organiser']],
  ['GET', '/api/admin/audit', ['organiser', 'judge']],
  ['GET', `/api/admin/contests/${CONTEST}/board`, ['organiser', 'judge']],
  ['GET', `/api/admin/rounds/${ROUND_OPEN}/stats`, ['organiser', 'judge']],
  ['GET', `/api/admin/contests/${CONTEST}/prize-config`, ['organiser', 'judge']],
  ['PUT', `/api/admin/contests/${CONTEST}/prize-config`, ['organiser', 'judge']],
  ['GET', `/api/admin/contests/${CONTEST}/prizes`, ['organiser', 'judge']],
  ['POST', `/api/admin/contests/${CONTEST}/prizes`, ['judge']],
  ['POST', '/api/admin/rounds/999999/prizes', ['judge']],
  ['GET', '/api/admin/prize-lists/999999', ['organiser', 'judge']],
  ['POST', '/api/admin/prize-entries/999999/confirm', ['judge']],
  ['POST', '/api/admin/prize-entries/999999/strike', ['judge']],
  ['POST', '/api/admin/rounds/999999/publish', ['judge']],
  ['POST', '/api/admin/rounds/999999/unpublish', ['judge']],
  ['POST', `/api/admin/contests/${CONTEST}/publish`, ['judge']],
  ['POST', `/api/admin/contests/${CONTEST}/unpublish`, ['judge']],
  ['GET', `/api/admin/exports/units?contest=${CONTEST}&format=csv`, ['organiser', 'judge']],
];

test('every console route: 401 without a session, 403 for another role, 403 without CSRF', async () => {
  const people = { admin, organiser: org, judge };
  for (const [method, p, roles] of ROUTES) {
    const what = `${method} ${p}`;
    assertError(await srv.api(method, p, { body: method === 'GET' ? undefined : {} }), 401, 'unauthorized');
    const allowed = new Set(roles.includes('organiser') ? [...roles, 'admin'] : roles);
    for (const [role, who] of Object.entries(people)) {
      const r = await as(who, method, p, method === 'GET' ? undefined : {});
      if (allowed.has(role)) {
        assert.ok(r.status !== 401 && r.status !== 403, `${what} as ${role}: ${r.status} ${r.text.slice(0, 200)}`);
      } else {
        assertError(r, 403, 'forbidden');
      }
      if (method !== 'GET' && allowed.has(role)) {
        const noCsrf = await srv.api(method, p, { cookie: who.cookie, body: {} });
        assertError(noCsrf, 403, 'forbidden', 'X-CSRF-Token');
        const badCsrf = await srv.api(method, p, { cookie: who.cookie, csrf: '0'.repeat(64), body: {} });
        assertError(badCsrf, 403, 'forbidden', 'X-CSRF-Token');
      }
    }
  }
  // SSE streams: the judges' ones need a session
  assertError(await srv.api('GET', `/api/admin/rounds/${ROUND_OPEN}/live`), 401, 'unauthorized');
  assertError(await srv.api('GET', `/api/admin/contests/${CONTEST}/live`), 401, 'unauthorized');
  // the audit log has no route that changes it
  for (const m of ['POST', 'PUT', 'DELETE']) {
    const r = await as(admin, m, '/api/admin/audit', {});
    assert.equal(r.status, 405, `${m} /api/admin/audit`);
  }
});

// ---------------------------------------------------------------- contest set-up

test('the contest definition round-trips through the upload, with the bank counts', async () => {
  const def = await as(org, 'GET', `/api/admin/contests/${CONTEST}`);
  assertStatus(def, 200, 'definition');
  const doc = def.json.contest;
  assert.equal(doc.format, 'cchc-contest/1');
  assert.equal(doc.units.length, 3);
  assert.equal(doc.rounds[1].id, 'chot');
  assert.ok(doc.rounds[1].freeze_at, 'freeze_at is part of the definition');
  assert.deepEqual(doc.rounds[0].blueprint[0], { category: 'the-che', difficulty: 'any', count: 1 });
  doc.title = 'Cuộc thi thử nghiệm (đã sửa tên)';
  const up = await as(org, 'POST', '/api/admin/contests', doc);
  assertStatus(up, 201, 'upload the edited definition');
  const again = await as(judge, 'GET', `/api/admin/contests/${CONTEST}`);
  assert.equal(again.json.contest.title, 'Cuộc thi thử nghiệm (đã sửa tên)');
  // freeze_at outside the window is refused, naming the field
  const bad = structuredClone(doc);
  bad.rounds[0].freeze_at = '2000-01-01T00:00:00Z';
  assertError(await as(org, 'POST', '/api/admin/contests', bad), 400, 'validation', 'rounds[0].freeze_at');
  // counts per category x difficulty x track
  const counts = await as(org, 'GET', `/api/admin/question-counts?contest=${CONTEST}`);
  assertStatus(counts, 200, 'counts');
  assert.equal(counts.json.banks[0].key, 'cchc-nghe-an');
  const theChe = counts.json.counts.filter((c) => c.category === 'the-che');
  assert.ok(theChe.length > 0 && theChe.every((c) => c.count > 0 && ['easy', 'medium', 'hard'].includes(c.difficulty)));
  const byKey = await as(org, 'GET', '/api/admin/question-counts?banks=cchc-nghe-an');
  assert.equal(byKey.json.counts.reduce((n, c) => n + c.count, 0), counts.json.counts.reduce((n, c) => n + c.count, 0));
  assertError(await as(org, 'GET', '/api/admin/question-counts?banks=khong-co'), 404, 'not_found');
  // the bank's questions, searchable
  const qs = await as(org, 'GET', `/api/admin/banks/${counts.json.banks[0].bank_id}/questions?q=30c&limit=5`);
  assertStatus(qs, 200, 'questions');
  assert.ok(qs.json.questions.length > 0 && qs.json.questions.every((q) => /30c/i.test(JSON.stringify(q))));
  // the edit is in the audit log
  assert.ok((await auditEntries('contest.load')).length >= 2);
});

// ---------------------------------------------------------------- people

test('disqualify removes a participant from boards and the unit table; reinstate brings them back', async () => {
  const p = await submitted({ full_name: 'Hoàng Văn Gian Lận', unit_id: 'tp-vinh' }, correctAnswer, 5);
  const onBoard = async () => {
    const pub = (await srv.api('GET', `/api/rounds/${ROUND_OPEN}/leaderboard?limit=200`)).json.entries.map((e) => e.name);
    const jud = (await as(judge, 'GET', `/api/admin/rounds/${ROUND_OPEN}/results?limit=1000`)).json.entries.map((e) => e.name);
    return [pub.includes(p.full_name), jud.includes(p.full_name)];
  };
  const vinh = async () => (await srv.api('GET', `/api/contests/${CONTEST}/units`)).json.units.find((u) => u.id === 'tp-vinh');
  assert.deepEqual(await onBoard(), [true, true]);
  const before = await vinh();
  assertError(await as(org, 'POST', `/api/admin/participants/${p.participant_id}/disqualify`, { reason: '' }), 400, 'validation', 'reason');
  const dq = await as(org, 'POST', `/api/admin/participants/${p.participant_id}/disqualify`,
    { reason: 'Thành viên Ban Tổ chức, không được dự thi' });
  assertStatus(dq, 200, 'disqualify');
  assert.deepEqual(await onBoard(), [false, false]);
  const after = await vinh();
  assert.equal(after.participants, before.participants - 1);
  assert.equal(after.finished_attempts, before.finished_attempts - 1);
  assertError(await as(org, 'POST', `/api/admin/participants/${p.participant_id}/disqualify`, { reason: 'lần hai' }), 409, 'conflict');
  const detail = await as(org, 'GET', `/api/admin/participants/${p.participant_id}`);
  assert.equal(detail.json.disqualified_reason, 'Thành viên Ban Tổ chức, không được dự thi');
  const [entry] = await auditEntries('participant.disqualify');
  assert.equal(entry.actor, 'bantochuc');
  assert.equal(entry.detail.target.participant, p.participant_id);
  assert.equal(entry.detail.before.disqualified_at, null);
  assert.ok(entry.detail.after.disqualified_at);
  assert.equal(entry.detail.reason, 'Thành viên Ban Tổ chức, không được dự thi');
  assertStatus(await as(org, 'POST', `/api/admin/participants/${p.participant_id}/reinstate`, { reason: 'Khiếu nại được chấp nhận' }), 200);
  assert.deepEqual(await onBoard(), [true, true]);
  assert.equal((await vinh()).participants, before.participants);
  assert.equal((await auditEntries('participant.reinstate'))[0].detail.after.disqualified_at, null);
});

test('search by name, phone (any form) and CCCD; the organiser sees the attempts', async () => {
  const cccd = newCccd();
  const p = await register(srv, CONTEST, { full_name: 'Lê Thị Khiếu Nại', unit_id: 'so-tu-phap', cccd });
  const local = p.phone;
  const intl = '+84 ' + local.slice(1, 4) + ' ' + local.slice(4);
  for (const q of ['khiếu nại', local, intl, cccd, `#${p.participant_id}`]) {
    const r = await as(org, 'GET', `/api/admin/contests/${CONTEST}/participants?q=${encodeURIComponent(q)}`);
    assertStatus(r, 200, `search ${q}`);
    assert.ok(r.json.participants.some((x) => x.id === p.participant_id), `found by ${q}`);
  }
  assertError(await as(org, 'GET', `/api/admin/contests/${CONTEST}/participants?q=a`), 400, 'validation', 'q');
});

test('extend an open attempt and reopen a finished one, with a reason, in the audit log', async () => {
  const p = await register(srv, CONTEST, { full_name: 'Phan Văn Mất Điện', unit_id: 'so-noi-vu' });
  const a = await startAttempt(srv, p.token, ROUND_OPEN);
  const now = await serverNow();
  assertError(await as(org, 'POST', `/api/admin/attempts/${a.attempt_id}/extend`, { minutes: 30 }), 400, 'validation', 'reason');
  assertError(await as(org, 'POST', `/api/admin/attempts/${a.attempt_id}/reopen`, { minutes: 30, reason: 'mất điện' }), 409, 'conflict');
  const ext = await as(org, 'POST', `/api/admin/attempts/${a.attempt_id}/extend`, { minutes: 30, reason: 'Mất điện tại điểm thi' });
  assertStatus(ext, 200, 'extend');
  assert.ok(ext.json.deadline_ms >= now + 29 * 60_000 && ext.json.deadline_ms > a.deadline_ms);
  const view = await srv.api('GET', `/api/attempts/${a.attempt_id}`, { token: p.token });
  assert.equal(view.json.deadline_ms, ext.json.deadline_ms);
  const [e1] = await auditEntries('attempt.extend');
  assert.equal(e1.detail.target.attempt, a.attempt_id);
  assert.equal(Date.parse(e1.detail.before.deadline_at), a.deadline_ms);
  assert.equal(Date.parse(e1.detail.after.deadline_at), ext.json.deadline_ms);
  assert.equal(e1.detail.reason, 'Mất điện tại điểm thi');

  // submit (all wrong), then reopen: the saved answers stay, a better submit counts
  const s1 = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: p.token, body: { answers: answersFor(a, wrongAnswer) } });
  assertStatus(s1, 200);
  assert.equal(s1.json.correct, 0);
  assertError(await as(org, 'POST', `/api/admin/attempts/${a.attempt_id}/extend`, { minutes: 5, reason: 'thử' }), 409, 'conflict');
  const re = await as(org, 'POST', `/api/admin/attempts/${a.attempt_id}/reopen`, { minutes: 10, reason: 'Lỗi đường truyền khi nộp bài' });
  assertStatus(re, 200, 'reopen');
  assert.equal(re.json.status, 'open');
  const again = await srv.api('GET', `/api/attempts/${a.attempt_id}`, { token: p.token });
  assert.equal(again.json.status, 'open');
  assert.deepEqual(Object.keys(again.json.answers).sort(), Object.keys(answersFor(a, wrongAnswer)).sort(), 'answers kept');
  const s2 = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: p.token, body: { answers: answersFor(a, correctAnswer) } });
  assertStatus(s2, 200);
  assert.equal(s2.json.correct, 3);
  const detail = await as(org, 'GET', `/api/admin/participants/${p.participant_id}`);
  assert.equal(detail.json.results[0].score, 3);
  assert.equal(detail.json.attempts[0].counted, true);
  const [e2] = await auditEntries('attempt.reopen');
  assert.equal(e2.detail.before.status, 'submitted');
  assert.equal(e2.detail.after.status, 'open');
});

test('export, then erase a participant: anonymous score kept, rank unchanged, phone free again', async () => {
  const cccd = newCccd();
  const p = await submitted({ full_name: 'Vũ Thị Xin Xóa', unit_id: 'so-tu-phap', cccd, email: 'xinxoa@example.vn' }, correctAnswer, 2);
  const ex = await as(org, 'GET', `/api/admin/participants/${p.participant_id}/export`);
  assertStatus(ex, 200, 'export');
  assert.match(ex.headers.get('content-disposition'), /attachment/);
  assert.equal(ex.json.participant.full_name, 'Vũ Thị Xin Xóa');
  assert.equal(ex.json.participant.cccd, cccd);
  assert.equal(ex.json.participant.email, 'xinxoa@example.vn');
  assert.ok(ex.json.participant.consent_text.length > 20 && ex.json.participant.consent_at);
  assert.equal(ex.json.attempts.length, 1);
  assert.ok(Object.keys(ex.json.attempts[0].answers).length === 3);
  await waitFor(async () => (await auditEntries('participant.export')).some((e) => e.detail.target.participant === p.participant_id),
    { what: 'the export in the audit log' });

  const board = async () => (await srv.api('GET', `/api/rounds/${ROUND_OPEN}/leaderboard?limit=200`)).json.entries;
  const before = await board();
  const rank = before.findIndex((e) => e.name === 'Vũ Thị Xin Xóa');
  assert.ok(rank >= 0);
  assertError(await as(org, 'POST', `/api/admin/participants/${p.participant_id}/erase`, { reason: 'Yêu cầu của người dự thi' }), 400, 'validation', 'confirm');
  await meEverywhere(p.token, 200);
  const er = await as(org, 'POST', `/api/admin/participants/${p.participant_id}/erase`,
    { reason: 'Yêu cầu xóa dữ liệu của người dự thi (đơn ngày 01/12)', confirm: p.participant_id });
  assertStatus(er, 200, 'erase');
  const anon = `Người dự thi đã xóa dữ liệu #${p.participant_id}`;
  assert.equal(er.json.full_name, anon);
  const after = await board();
  assert.equal(after.length, before.length);
  assert.equal(after[rank].name, anon, 'same place, anonymous name');
  assert.equal(after[rank].score, before[rank].score);
  const detail = await as(org, 'GET', `/api/admin/participants/${p.participant_id}`);
  assert.equal(detail.json.phone, null);
  assert.equal(detail.json.cccd, null);
  assert.equal(detail.json.email, null);
  assert.ok(detail.json.erased_at);
  for (const q of [p.phone, cccd, 'xin xóa']) {
    const r = await as(org, 'GET', `/api/admin/contests/${CONTEST}/participants?q=${encodeURIComponent(q)}`);
    assert.ok(!r.json.participants.some((x) => x.id === p.participant_id), `not found by ${q}`);
  }
  assertError(await srv.api('GET', '/api/me', { token: p.token }), 401, 'unauthorized');
  await meEverywhere(p.token, 401);
  assertError(await as(org, 'POST', `/api/admin/participants/${p.participant_id}/erase`, { reason: 'lần hai', confirm: p.participant_id }), 409, 'conflict');
  const [entry] = await auditEntries('participant.erase');
  assert.equal(entry.detail.target.participant, p.participant_id);
  const logged = JSON.stringify(entry);
  for (const secret of [p.phone.slice(1), cccd, 'xinxoa', 'Vũ Thị']) assert.ok(!logged.includes(secret), `audit has no ${secret}`);
  // the phone number may register again, as a new person
  const again = await register(srv, CONTEST, { full_name: 'Vũ Thị Xin Xóa', unit_id: 'so-tu-phap', phone: p.phone });
  assert.notEqual(again.participant_id, p.participant_id);
});

// ---------------------------------------------------------------- audit log

test('the audit log: judges read it, nobody can change it (a trigger refuses UPDATE and DELETE)', async () => {
  const r = await as(judge, 'GET', '/api/admin/audit?limit=5');
  assertStatus(r, 200);
  assert.equal(r.json.entries.length, 5);
  assert.ok(r.json.entries[0].id > r.json.entries[4].id, 'newest first');
  const page2 = await as(judge, 'GET', `/api/admin/audit?limit=5&before=${r.json.next_before}`);
  assert.ok(page2.json.entries.every((e) => e.id < r.json.entries[4].id));
  const mine = await as(judge, 'GET', '/api/admin/audit?actor=bantochuc&limit=50');
  assert.ok(mine.json.entries.length > 0 && mine.json.entries.every((e) => e.actor === 'bantochuc'));
  for (const sql of ["UPDATE audit_log SET actor = 'ai-do'", 'DELETE FROM audit_log', 'DELETE FROM audit_log WHERE id = 1']) {
    const out = spawnSync('sqlite3', [srv.db, sql], { encoding: 'utf8' });
    assert.notEqual(out.status, 0, `${sql} must fail`);
    assert.match(out.stderr, /append-only/);
  }
  const count = spawnSync('sqlite3', [srv.db, 'SELECT count(*) FROM audit_log'], { encoding: 'utf8' });
  assert.ok(Number(count.stdout) >= 10);
});

test('a token deleted by another process stops working at once on every thread', async () => {
  const p = await register(srv, CONTEST, { full_name: 'Đặng Văn Thẻ', unit_id: 'so-tu-phap' });
  await meEverywhere(p.token, 200);
  const out = spawnSync('sqlite3', [srv.db, `DELETE FROM participant_tokens WHERE participant_id = ${p.participant_id}`], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  await meEverywhere(p.token, 401);
});

// ---------------------------------------------------------------- live boards

/** Reads a server-sent event stream; events() returns what has arrived. */
function openStream(p, who) {
  const ctrl = new AbortController();
  const events = [];
  const headers = who ? { Cookie: `cchc_session=${who.cookie}` } : {};
  const done = (async () => {
    const res = await fetch(srv.base + p, { headers, signal: ctrl.signal });
    assert.equal(res.status, 200, `stream ${p}`);
    assert.match(res.headers.get('content-type'), /text\/event-stream/);
    const dec = new TextDecoder();
    let bufText = '';
    try {
      for await (const chunk of res.body) {
        bufText += dec.decode(chunk, { stream: true });
        let i;
        while ((i = bufText.indexOf('\n\n')) >= 0) {
          const block = bufText.slice(0, i);
          bufText = bufText.slice(i + 2);
          const ev = /^event: (.*)$/m.exec(block);
          const data = /^data: (.*)$/m.exec(block);
          if (ev && data) events.push({ event: ev[1], data: JSON.parse(data[1]), at: Date.now() });
        }
      }
    } catch (e) {
      if (e.name !== 'AbortError') throw e;
    }
  })();
  return { events, close: async () => { ctrl.abort(); await done.catch(() => {}); } };
}

test('a judge\'s live board changes within 2 s of a submit, without asking again', async () => {
  const live = openStream(`/api/admin/rounds/${ROUND_OPEN}/live`, judge);
  const units = openStream(`/api/admin/contests/${CONTEST}/live`, judge);
  const pub = openStream(`/api/rounds/${ROUND_OPEN}/leaderboard/stream`);
  await waitFor(() => live.events.length > 0 && units.events.length > 0 && pub.events.length > 0, { what: 'first events' });
  const first = live.events[0].data.board;
  assert.ok(Array.isArray(first.entries));
  assert.ok(units.events[0].data.units.units.length === 3, 'the contest stream carries the unit table');
  const p = await register(srv, CONTEST, { full_name: 'Đỗ Thị Trực Tiếp', unit_id: 'so-noi-vu' });
  const a = await startAttempt(srv, p.token, ROUND_OPEN);
  const t0 = Date.now();
  assertStatus(await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: p.token, body: { answers: answersFor(a, correctAnswer) } }), 200);
  const seen = await waitFor(() => live.events.find((e) => e.data.board.entries.some((x) => x.name === 'Đỗ Thị Trực Tiếp')),
    { timeout: 5000, interval: 20, what: 'the submit on the live board' });
  assert.ok(seen.at - t0 < 2000, `arrived after ${seen.at - t0} ms`);
  assert.ok(seen.data.board.entries.every((x) => Number.isInteger(x.participant_id)), 'judges see ids');
  await waitFor(() => pub.events.some((e) => e.data.board.entries.some((x) => x.name === 'Đỗ Thị Trực Tiếp')), { timeout: 5000, what: 'public stream' });
  assert.ok(pub.events.every((e) => e.data.board.entries.every((x) => x.participant_id === undefined)), 'no ids in public');
  await waitFor(() => units.events.length > 1, { timeout: 5000, what: 'unit table update' });
  await Promise.all([live.close(), units.close(), pub.close()]);
});

// ---------------------------------------------------------------- statistics

test('question statistics of a round: facility, options mapped back to the bank order', async () => {
  const r = await as(judge, 'GET', `/api/admin/rounds/${ROUND_OPEN}/stats`);
  assertStatus(r, 200, 'stats');
  assert.ok(r.json.attempts >= 4);
  for (const q of r.json.questions) {
    const chosen = q.options.reduce((n, o) => n + o.count, 0);
    assert.ok(chosen + q.blank >= q.n, 'each attempt chose an option or left it blank');
    assert.ok(q.facility >= 0 && q.facility <= 100);
    assert.equal(q.options.filter((o) => o.key).length >= 1, true);
    assert.ok(Array.isArray(q.flags));
  }
  // every question of the correct-answer submits: the key was chosen at least once
  assert.ok(r.json.questions.every((q) => q.options.some((o) => o.key && o.count > 0)));
});

// ---------------------------------------------------------------- freeze, prizes, publication

test('freeze: the public board stops at the freeze while judges see every submit; prizes break a tie by the prediction; publication', async () => {
  const def = (await as(org, 'GET', `/api/admin/contests/${CONTEST}`)).json.contest;
  const now = await serverNow();
  const freeze = now + 5000;
  const closes = now + 9000;
  def.rounds[1].opens_at = new Date(now - 3_600_000).toISOString();
  def.rounds[1].freeze_at = new Date(freeze).toISOString();
  def.rounds[1].closes_at = new Date(closes).toISOString();
  assertStatus(await as(org, 'POST', '/api/admin/contests', def), 201, 'upload with the freeze');
  const round = await roundId(srv, CONTEST, 1);
  // prizes: one first and one second prize for everyone together
  const cfg = { individual: { per_track: false, tiers: [{ name: 'Giải Nhất', count: 1 }, { name: 'Giải Nhì', count: 1 }, { name: 'Giải Ba', count: 1 }] },
    units: [{ name: 'Giải tập thể: tỷ lệ tham gia cao nhất', rule: 'participation_rate', per_block: true, count: 1 }] };
  assertError(await as(judge, 'PUT', `/api/admin/contests/${CONTEST}/prize-config`, { config: { individual: { tiers: [] } } }), 400, 'validation', 'individual.tiers');
  assertStatus(await as(judge, 'PUT', `/api/admin/contests/${CONTEST}/prize-config`, { config: cfg }), 200, 'prize config');

  // before the freeze: two perfect papers; the far prediction hands in first
  const far = await submitted({ full_name: 'Trịnh Văn Đoán Xa', unit_id: 'so-noi-vu' }, correctAnswer, 40, round);
  const exact = await submitted({ full_name: 'Trịnh Thị Đoán Đúng', unit_id: 'so-tu-phap' }, correctAnswer, 3, round);
  const pubBoard = async () => (await srv.api('GET', `/api/rounds/${round}/leaderboard`)).json;
  assert.deepEqual((await pubBoard()).entries.map((e) => e.name), ['Trịnh Văn Đoán Xa', 'Trịnh Thị Đoán Đúng']);
  const stream = openStream(`/api/rounds/${round}/leaderboard/stream`);

  await waitServerTime(srv, freeze + 50, 'the freeze');
  const late = await submitted({ full_name: 'Trịnh Văn Không Đoán', unit_id: 'tp-vinh' }, correctAnswer, undefined, round);
  await submitted({ full_name: 'Trịnh Văn Sai Hết', unit_id: 'tp-vinh' }, wrongAnswer, 3, round);
  const frozen = await pubBoard();
  assert.equal(frozen.frozen, true);
  assert.equal(frozen.official, false);
  assert.deepEqual(frozen.entries.map((e) => e.name), ['Trịnh Văn Đoán Xa', 'Trịnh Thị Đoán Đúng'], 'public board as at the freeze');
  const jb = await as(judge, 'GET', `/api/admin/rounds/${round}/results`);
  assert.equal(jb.json.entries.length, 4, 'judges see every submit');
  assert.equal(jb.json.public_frozen, true);
  await sleep(1200);
  assert.ok(stream.events.length >= 1);
  assert.ok(stream.events.every((e) => !e.data.board.entries.some((x) => x.name === late.full_name)), 'the public stream stays frozen');
  await stream.close();

  // a proposal before the round is settled is refused
  assertError(await as(judge, 'POST', `/api/admin/rounds/${round}/prizes`, {}), 409, 'not_settled');
  await waitServerTime(srv, closes + 2500, 'close + grace');
  await waitFor(async () => (await as(judge, 'GET', `/api/admin/rounds/${round}/results`)).json.settled === true,
    { timeout: 10_000, what: 'the round settled' });
  const still = await pubBoard();
  assert.equal(still.frozen, true, 'settled but not published: still frozen');
  assert.equal(still.entries.length, 2);

  // the proposal: 3 perfect scores; the exact prediction first, the far one
  // second (prediction decided), the one without a prediction third
  const prop = await as(judge, 'POST', `/api/admin/rounds/${round}/prizes`, {});
  assertStatus(prop, 201, 'propose');
  const ind = prop.json.entries.filter((e) => e.kind === 'individual');
  assert.deepEqual(ind.map((e) => [e.tier_name, e.participant.name]), [
    ['Giải Nhất', 'Trịnh Thị Đoán Đúng'], ['Giải Nhì', 'Trịnh Văn Đoán Xa'], ['Giải Ba', 'Trịnh Văn Không Đoán']]);
  assert.equal(ind[1].decided_by, 'prediction_error_asc');
  const tie = prop.json.ties.find((t) => t.a.name === 'Trịnh Thị Đoán Đúng' && t.b.name === 'Trịnh Văn Đoán Xa');
  assert.ok(tie, `tie listed: ${JSON.stringify(prop.json.ties)}`);
  assert.equal(tie.decided_by, 'prediction_error_asc');
  assert.equal(tie.a_value, 0);
  assert.equal(tie.b_value, 37);
  assert.equal(tie.boundary, true);
  assert.ok(!prop.text.includes(far.phone.slice(1)), 'no phone in the judge\'s view');
  const orgView = await as(org, 'GET', `/api/admin/prize-lists/${prop.json.id}`);
  assert.ok(orgView.text.includes(far.phone.slice(3)), 'organisers see phone numbers');

  // judges review: publishing waits for every entry
  const pending = await as(judge, 'POST', `/api/admin/rounds/${round}/publish`, {});
  assertError(pending, 409, 'pending');
  assertStatus(await as(judge, 'POST', `/api/admin/prize-entries/${ind[0].id}/confirm`, {}), 200);
  assertError(await as(judge, 'POST', `/api/admin/prize-entries/${ind[1].id}/strike`, {}), 400, 'validation', 'reason');
  assertStatus(await as(judge, 'POST', `/api/admin/prize-entries/${ind[1].id}/strike`, { reason: 'Khai sai đơn vị công tác' }), 200);
  assertStatus(await as(judge, 'POST', `/api/admin/prize-entries/${ind[2].id}/confirm`, {}), 200);
  const struck = (await auditEntries('prize.strike'))[0];
  assert.equal(struck.detail.before.status, 'proposed');
  assert.equal(struck.detail.after.status, 'struck');
  assert.equal(struck.detail.reason, 'Khai sai đơn vị công tác');
  // proposing again keeps the struck entry out and moves the next one up
  const prop2 = await as(judge, 'POST', `/api/admin/rounds/${round}/prizes`, {});
  const ind2 = prop2.json.entries.filter((e) => e.kind === 'individual');
  assert.deepEqual(ind2.filter((e) => e.status !== 'struck').map((e) => e.participant.name),
    ['Trịnh Thị Đoán Đúng', 'Trịnh Văn Không Đoán', 'Trịnh Văn Sai Hết']);
  assert.ok(ind2.some((e) => e.status === 'struck' && e.participant.name === 'Trịnh Văn Đoán Xa'));
  for (const e of ind2.filter((x) => x.status === 'proposed')) {
    assertStatus(await as(judge, 'POST', `/api/admin/prize-entries/${e.id}/confirm`, { reason: 'Đúng thể lệ' }), 200);
  }
  assertStatus(await as(judge, 'POST', `/api/admin/rounds/${round}/publish`, {}), 200, 'publish');
  assertError(await as(judge, 'POST', `/api/admin/prize-entries/${ind2[0].id}/strike`, { reason: 'muộn' }), 409, 'published');
  const official = await pubBoard();
  assert.equal(official.official, true);
  assert.equal(official.frozen, false);
  assert.equal(official.provisional, false);
  assert.deepEqual(official.entries.map((e) => e.name), ['Trịnh Thị Đoán Đúng', 'Trịnh Văn Đoán Xa', 'Trịnh Văn Không Đoán', 'Trịnh Văn Sai Hết']);
  const pubPrizes = await srv.api('GET', `/api/contests/${CONTEST}/prizes`);
  assertStatus(pubPrizes, 200);
  const list = pubPrizes.json.lists.find((l) => l.round_id === round);
  assert.deepEqual(list.entries.map((e) => e.participant.name), ['Trịnh Thị Đoán Đúng', 'Trịnh Văn Không Đoán', 'Trịnh Văn Sai Hết']);
  assert.ok(!pubPrizes.text.includes('phone') && !pubPrizes.text.includes(exact.phone.slice(1)));
  assert.ok((await auditEntries('results.publish')).length >= 1);
  // withdrawing needs a reason
  assertError(await as(judge, 'POST', `/api/admin/rounds/${round}/unpublish`, {}), 400, 'validation', 'reason');
});

test('unit prizes by participation rate per block, in the contest\'s list', async () => {
  const r = await as(judge, 'POST', `/api/admin/contests/${CONTEST}/prizes`, {});
  assertStatus(r, 201, 'contest proposal');
  const units = r.json.entries.filter((e) => e.kind === 'unit');
  assert.equal(units.length, 2, 'one per block');
  const table = (await srv.api('GET', `/api/contests/${CONTEST}/units`)).json.units;
  for (const e of units) {
    const block = e.group.split('|')[1];
    const best = table.filter((u) => u.block === block && u.participation_rate !== null)
      .sort((a, b) => b.participation_rate - a.participation_rate || b.participants - a.participants)[0];
    assert.equal(e.unit.name, best.name, `block ${block}`);
  }
  assert.ok(r.json.entries.some((e) => e.kind === 'individual'));
});

// ---------------------------------------------------------------- exports

async function download(who, p) {
  const res = await fetch(srv.base + p, { headers: { Cookie: `cchc_session=${who.cookie}` } });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, buf };
}

function table(sheet, firstHeader) {
  const h = sheet.rows.findIndex((r) => r.includes(firstHeader));
  assert.ok(h >= 0, `header ${firstHeader} in ${sheet.name}`);
  return { head: sheet.rows[h], rows: sheet.rows.slice(h + 1) };
}

test('XLSX exports read back: ranked rows, Vietnamese sheet names, phone only for organisers', async () => {
  const judgeX = await download(judge, `/api/admin/exports/results?round=${ROUND_OPEN}&format=xlsx`);
  assert.equal(judgeX.status, 200, judgeX.buf.toString().slice(0, 300));
  assert.match(judgeX.headers.get('content-type'), /spreadsheetml/);
  assert.match(judgeX.headers.get('content-disposition'), /attachment; filename=".*\.xlsx"/);
  const jw = readXlsx(judgeX.buf);
  assert.equal(jw.sheets[0].name, 'Kết quả');
  const jt = table(jw.sheets[0], 'Họ và tên');
  assert.ok(!jt.head.includes('Số điện thoại') && !jt.head.includes('Số CCCD'), `judge header: ${jt.head}`);
  assert.ok(!judgeX.buf.includes(Buffer.from('+849')), 'no phone anywhere');
  const board = (await as(judge, 'GET', `/api/admin/rounds/${ROUND_OPEN}/results?limit=1000`)).json.entries;
  const nameCol = jt.head.indexOf('Họ và tên');
  const scoreCol = jt.head.indexOf('Điểm');
  assert.deepEqual(jt.rows.map((r) => r[nameCol]), board.map((e) => e.name), 'the ranked order');
  assert.deepEqual(jt.rows.map((r) => r[scoreCol]), board.map((e) => e.score));
  assert.deepEqual(jt.rows.map((r) => r[0]), board.map((_, i) => i + 1), 'ranks');

  const orgX = await download(org, `/api/admin/exports/results?round=${ROUND_OPEN}&format=xlsx`);
  const ot = table(readXlsx(orgX.buf).sheets[0], 'Họ và tên');
  const phoneCol = ot.head.indexOf('Số điện thoại');
  assert.ok(phoneCol >= 0 && ot.head.includes('Số CCCD'));
  assert.ok(ot.rows.every((r) => r[phoneCol] == null || /^\+84\d{9,10}$/.test(r[phoneCol])), JSON.stringify(ot.rows.map((r) => r[phoneCol])));
  assert.ok(ot.rows.some((r) => r[phoneCol]));

  // the whole workbook
  const all = await download(org, `/api/admin/exports/all?contest=${CONTEST}&format=xlsx`);
  assert.equal(all.status, 200);
  const names = readXlsx(all.buf).sheets.map((s) => s.name);
  assert.deepEqual(names, ['Kết quả vòng 1', 'Kết quả vòng 2', 'Đơn vị', 'Giải thưởng', 'Thống kê câu hỏi', 'Theo ngày']);
  const wb = readXlsx(all.buf);
  const units = table(wb.sheets[2], 'Đơn vị');
  assert.equal(units.rows.length, 3);
  const prizes = table(wb.sheets[3], 'Giải');
  assert.ok(prizes.rows.some((r) => r.includes('Trịnh Thị Đoán Đúng')));
  const days = table(wb.sheets[5], 'Ngày');
  assert.ok(days.rows.length >= 1 && days.rows.reduce((n, r) => n + r[1], 0) >= 10, `registrations by day: ${JSON.stringify(days)}`);
  const judgeAll = await download(judge, `/api/admin/exports/all?contest=${CONTEST}&format=xlsx`);
  for (const s of readXlsx(judgeAll.buf).sheets) {
    assert.ok(!s.rows.some((r) => r.includes('Số điện thoại') || r.includes('Số CCCD')), `no phone column in ${s.name}`);
  }

  // CSV: UTF-8 with a BOM
  const csv = await download(judge, `/api/admin/exports/units?contest=${CONTEST}&format=csv`);
  assert.equal(csv.status, 200);
  assert.deepEqual([...csv.buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.match(csv.buf.toString('utf8'), /Sở Tư pháp/);
  const stats = await download(judge, `/api/admin/exports/stats?round=${ROUND_OPEN}&format=csv`);
  assert.match(stats.buf.toString('utf8'), /Độ phân biệt/);
  assertError(await as(judge, 'GET', `/api/admin/exports/all?contest=${CONTEST}&format=csv`), 400, 'validation', 'format');
  assertError(await as(judge, 'GET', '/api/admin/exports/khac?contest=x'), 404, 'not_found');
  assertError(await as(judge, 'GET', '/api/admin/exports/results?format=xlsx'), 400, 'validation', 'round');
  await waitFor(async () => (await auditEntries('export.personal')).some((e) => e.actor === 'bantochuc'),
    { what: 'the personal export in the audit log' });
  // nothing of the personal-data export leaks into the judge's workbook of prizes
  const pz = await download(judge, `/api/admin/exports/prizes?contest=${CONTEST}&format=xlsx`);
  assert.ok(!pz.buf.includes(Buffer.from('+849')));
});
