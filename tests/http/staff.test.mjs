// Staff routes: login cookie, roles, CSRF, and the organiser's bank and contest uploads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  startServer, register, roundId, startAttempt, assertStatus, assertError, login, FIXTURES,
  STAFF_PASSWORD, correctAnswer, answersFor, DEMO, REPO, BANK_FILE,
} from './lib.mjs';

const srv = await startServer({
  staff: [
    { username: 'quantri', role: 'admin' },
    { username: 'bantochuc', role: 'organiser' },
    { username: 'giamkhao', role: 'judge' },
  ],
});
const DEMO_ROUND = await roundId(srv, DEMO, 0);

// a participant with a submitted attempt, so the results lists are not empty
const participant = await register(srv, DEMO, { full_name: 'Thí Sinh Có Điểm', unit_id: 'so-tu-phap' });
{
  const a = await startAttempt(srv, participant.token, DEMO_ROUND);
  assertStatus(await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, {
    token: participant.token, body: { answers: answersFor(a, correctAnswer) },
  }), 200);
}

const S = {}; // sessions by role
const ROLES = { admin: 'quantri', organiser: 'bantochuc', judge: 'giamkhao' };

const BAD_BANK = `{
  "format": "cchc-bank/1",
  "id": "ngan-hang-loi",
  "title": "Ngân hàng có lỗi",
  "version": 1,
  "categories": [{"id": "the-che", "title": "Cải cách thể chế"}],
  "questions": [
    {
      "id": "q-001",
      "category": "the-che",
      "difficulty": "easy",
      "track": "both",
      "text": "Câu hỏi thứ nhất?",
      "options": ["A", "B", "C"],
      "correct": 7,
      "explanation": "Giải thích.",
      "source": {"document": "Tài liệu"}
    },
    {
      "id": "q-002",
      "category": "the-che",
      "difficulty": "easy",
      "track": "both",
      "text": "Câu hỏi thứ hai?",
      "options": ["A", "B"],
      "correct": 0,
      "explaination": "Gõ sai tên trường.",
      "source": {"document": "Tài liệu"}
    }
  ]
}
`;
const lineOf = (text, needle) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

function goodBank(version = 1, extraText = '') {
  const q = (n, cat) => ({
    id: `q-${String(n).padStart(3, '0')}`,
    category: cat,
    difficulty: ['easy', 'medium', 'hard'][n % 3],
    track: 'both',
    text: `Câu hỏi kiểm thử số ${n}${extraText}?`,
    options: ['Phương án A', 'Phương án B', 'Phương án C', 'Phương án D'],
    correct: n % 4,
    explanation: `Giải thích câu ${n}.`,
    source: { document: 'Tài liệu kiểm thử', article: `Điều ${n}` },
  });
  return JSON.stringify({
    format: 'cchc-bank/1',
    id: 'ngan-hang-thu',
    title: 'Ngân hàng câu hỏi kiểm thử',
    version,
    categories: [{ id: 'the-che', title: 'Cải cách thể chế' }, { id: 'tthc', title: 'Cải cách thủ tục hành chính' }],
    questions: [1, 2, 3, 4, 5, 6].map((n) => q(n, n <= 3 ? 'the-che' : 'tthc')),
  }, null, 2);
}

test('login: HttpOnly SameSite=Strict cookie, CSRF token; wrong credentials are 401', async () => {
  for (const [role, name] of Object.entries(ROLES)) {
    const s = await login(srv, name);
    S[role] = s;
    assert.equal(s.body.username, name);
    assert.equal(s.body.role, role);
    const attrs = s.setCookie.split(';').map((x) => x.trim());
    assert.ok(attrs.includes('HttpOnly'), `HttpOnly: ${s.setCookie}`);
    assert.ok(attrs.some((a) => /^SameSite=Strict$/i.test(a)), `SameSite=Strict: ${s.setCookie}`);
    assert.ok(attrs.includes('Path=/'), `Path=/: ${s.setCookie}`);
    assert.ok(!s.setCookie.includes(s.csrf), 'the CSRF token is not the cookie');
  }
  assertError(await srv.api('POST', '/api/auth/login', { body: { username: 'quantri', password: 'sai-mat-khau-123' } }), 401, 'unauthorized');
  assertError(await srv.api('POST', '/api/auth/login', { body: { username: 'khong-co-ai', password: STAFF_PASSWORD } }), 401, 'unauthorized');
  assertError(await srv.api('POST', '/api/auth/login', { body: { password: STAFF_PASSWORD } }), 400, 'validation', 'username');
  assertError(await srv.api('POST', '/api/auth/login', { body: { username: 'quantri' } }), 400, 'validation', 'password');
  assertError(await srv.api('POST', '/api/auth/login', { body: '{"username":' }), 400, 'bad_json');
  const r = await srv.api('POST', '/api/auth/login', { body: { username: 'quantri', password: 'sai-mat-khau-123' } });
  assert.equal(r.headers.get('set-cookie'), null, 'no cookie on a failed login');
});

// [method, path, allowed roles, body factory]
const bankBody = () => goodBank();
const contestBody = () => {
  const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'std.json'), 'utf8'));
  doc.id = 'tai-len-thu';
  return doc;
};
const ROUTES = [
  ['GET', '/api/auth/me', ['admin', 'organiser', 'judge']],
  ['POST', '/api/admin/users', ['admin'], () => ({ username: 'nguoi-moi', password: 'mat-khau-moi-123', role: 'judge' })],
  ['GET', '/api/admin/banks', ['admin', 'organiser']],
  ['POST', '/api/admin/banks', ['admin', 'organiser'], bankBody],
  ['GET', '/api/admin/contests', ['admin', 'organiser', 'judge']],
  ['POST', '/api/admin/contests', ['admin', 'organiser'], contestBody],
  ['GET', () => `/api/admin/rounds/${DEMO_ROUND}/results`, ['admin', 'organiser', 'judge']],
];

test('staff routes refuse no session (401) and a participant token (401)', async () => {
  assert.ok(S.admin, 'needs the logins');
  for (const [m, p0, , mk] of [...ROUTES, ['POST', '/api/auth/logout', []]]) {
    const p = typeof p0 === 'function' ? p0() : p0;
    const body = mk ? mk() : undefined;
    assertError(await srv.api(m, p, { body }), 401, 'unauthorized');
    // a participant token is not a staff credential, as a header or as the cookie
    assertError(await srv.api(m, p, { body, token: participant.token }), 401, 'unauthorized');
    assertError(await srv.api(m, p, { body, cookie: participant.token, csrf: 'x' }), 401, 'unauthorized');
    // a forged cookie
    assertError(await srv.api(m, p, { body, cookie: 'cd'.repeat(32) }), 401, 'unauthorized');
  }
});

test('a staff session is not a participant credential', async () => {
  for (const role of Object.keys(ROLES)) {
    assertError(await srv.api('GET', '/api/me', { cookie: S[role].cookie }), 401, 'unauthorized');
    assertError(await srv.api('GET', '/api/me', { token: S[role].cookie }), 401, 'unauthorized');
    assertError(await srv.api('POST', `/api/rounds/${DEMO_ROUND}/attempts`, { token: S[role].cookie, body: {} }), 401, 'unauthorized');
  }
});

test('staff routes: wrong role is 403; POST without or with a wrong X-CSRF-Token is 403; the right role works', async () => {
  for (const [m, p0, allowed, mk] of ROUTES) {
    const p = typeof p0 === 'function' ? p0() : p0;
    for (const role of Object.keys(ROLES)) {
      const s = S[role];
      const body = mk ? mk() : undefined;
      if (!allowed.includes(role)) {
        const r = await srv.api(m, p, { cookie: s.cookie, csrf: s.csrf, body });
        assertError(r, 403, 'forbidden');
        continue;
      }
      if (m !== 'GET') {
        assertError(await srv.api(m, p, { cookie: s.cookie, body }), 403, 'forbidden', 'X-CSRF-Token');
        assertError(await srv.api(m, p, { cookie: s.cookie, csrf: 'ab'.repeat(32), body }), 403, 'forbidden', 'X-CSRF-Token');
        // another session's CSRF token does not fit this session
        const other = Object.values(S).find((x) => x !== s);
        assertError(await srv.api(m, p, { cookie: s.cookie, csrf: other.csrf, body }), 403, 'forbidden', 'X-CSRF-Token');
      }
      const r = await srv.api(m, p, { cookie: s.cookie, csrf: s.csrf, body });
      assert.ok(r.status === 200 || r.status === 201, `${role} ${m} ${p}: ${r.status} ${r.text.slice(0, 400)}`);
      assert.ok(!r.text.includes(participant.phone.slice(1)), `${m} ${p} shows no phone`);
    }
  }
  // specifics
  const me = await srv.api('GET', '/api/auth/me', { cookie: S.judge.cookie });
  assert.deepEqual(me.json, { username: 'giamkhao', role: 'judge', csrf_token: S.judge.csrf });
  assertError(await srv.api('GET', '/api/admin/rounds/999999/results', { cookie: S.judge.cookie }), 404, 'not_found');
  const res = await srv.api('GET', `/api/admin/rounds/${DEMO_ROUND}/results`, { cookie: S.judge.cookie });
  assert.ok(res.json.entries.some((e) => e.name === 'Thí Sinh Có Điểm' && e.unit === 'Sở Tư pháp'));
  // the user made by the admin can log in with its role
  const made = await login(srv, 'nguoi-moi', 'mat-khau-moi-123');
  assert.equal(made.body.role, 'judge');
  // user validation
  const adm = S.admin;
  assertError(await srv.api('POST', '/api/admin/users', { cookie: adm.cookie, csrf: adm.csrf, body: { username: 'ngan', password: 'ngan', role: 'judge' } }), 400, 'validation', 'password');
  assertError(await srv.api('POST', '/api/admin/users', { cookie: adm.cookie, csrf: adm.csrf, body: { username: 'vai-tro-la', password: 'mat-khau-dai-1234', role: 'boss' } }), 400, 'validation', 'role');
  assertError(await srv.api('POST', '/api/admin/users', { cookie: adm.cookie, csrf: adm.csrf, body: { username: 'Tên Có Dấu', password: 'mat-khau-dai-1234', role: 'judge' } }), 400, 'validation', 'username');
});

test('logout: needs CSRF, clears the cookie, ends the session', async () => {
  const s = await login(srv, 'giamkhao');
  assertError(await srv.api('POST', '/api/auth/logout', { cookie: s.cookie }), 403, 'forbidden', 'X-CSRF-Token');
  const r = await srv.api('POST', '/api/auth/logout', { cookie: s.cookie, csrf: s.csrf });
  assertStatus(r, 200, 'logout');
  const sc = r.headers.get('set-cookie') || '';
  assert.match(sc, /cchc_session=;/);
  assert.match(sc, /Max-Age=0/);
  assertError(await srv.api('GET', '/api/auth/me', { cookie: s.cookie }), 401, 'unauthorized');
  // other sessions of the same user are not affected
  assertStatus(await srv.api('GET', '/api/auth/me', { cookie: S.judge.cookie }), 200, 'the other judge session');
});

test('bank upload: errors give line numbers and store nothing; valid → 201; same again → 200 unchanged', async () => {
  const org = await login(srv, 'bantochuc');
  const list = async () => {
    const r = await srv.api('GET', '/api/admin/banks', { cookie: org.cookie });
    assertStatus(r, 200);
    return r.json.banks;
  };
  const before = await list();
  const shipped = JSON.parse(fs.readFileSync(BANK_FILE, 'utf8')).questions.length;
  assert.ok(before.some((b) => b.bank_id === 'cchc-nghe-an' && b.questions === shipped), JSON.stringify(before));

  const bad = await srv.api('POST', '/api/admin/banks?name=loi.json', {
    cookie: org.cookie, csrf: org.csrf, body: BAD_BANK,
  });
  assertError(bad, 400, 'validation');
  assert.ok(Array.isArray(bad.json.problems) && bad.json.problems.length >= 2, bad.text);
  for (const p of bad.json.problems) {
    assert.ok(Number.isInteger(p.line) && p.line >= 1, JSON.stringify(p));
    assert.ok(Number.isInteger(p.col) && p.col >= 1, JSON.stringify(p));
    assert.ok(['error', 'warning'].includes(p.severity), JSON.stringify(p));
    assert.equal(typeof p.message, 'string');
  }
  const errors = bad.json.problems.filter((p) => p.severity === 'error');
  const lines = errors.map((p) => p.line);
  assert.ok(lines.includes(lineOf(BAD_BANK, '"correct": 7')), `an error on the "correct": 7 line: ${JSON.stringify(errors)}`);
  assert.ok(lines.includes(lineOf(BAD_BANK, '"explaination"')), `an error on the "explaination" line: ${JSON.stringify(errors)}`);
  assert.deepEqual(await list(), before, 'nothing stored');

  const broken = await srv.api('POST', '/api/admin/banks', { cookie: org.cookie, csrf: org.csrf, body: '{\n  "format": "cchc-bank/1",\n  "id": \n}' });
  assertError(broken, 400, 'validation');
  assert.equal(broken.json.problems[0].line, 4, JSON.stringify(broken.json.problems));
  assert.deepEqual(await list(), before, 'nothing stored');

  const v1 = goodBank(1, ' (bản A)');
  const up = await srv.api('POST', '/api/admin/banks?name=thu.json', { cookie: org.cookie, csrf: org.csrf, body: v1 });
  assertStatus(up, 201, 'valid bank');
  assert.equal(up.json.bank_id, 'ngan-hang-thu');
  assert.equal(up.json.questions, 6);
  const v = up.json.version;
  assert.ok(Number.isInteger(v) && v >= 1);
  const after1 = await list();
  assert.equal(after1.length, before.length + 1);
  const row = after1.find((b) => b.bank_id === 'ngan-hang-thu' && b.version === v);
  assert.ok(row, JSON.stringify(after1));
  assert.equal(row.questions, 6);
  assert.equal(row.title, 'Ngân hàng câu hỏi kiểm thử');

  const same = await srv.api('POST', '/api/admin/banks', { cookie: org.cookie, csrf: org.csrf, body: v1 });
  assertStatus(same, 200, 'same content again');
  assert.equal(same.json.unchanged, true);
  assert.equal(same.json.version, v);
  assert.deepEqual(await list(), after1, 'no new version');

  const v2 = await srv.api('POST', '/api/admin/banks', { cookie: org.cookie, csrf: org.csrf, body: goodBank(1, ' (bản B)') });
  assertStatus(v2, 201, 'changed content');
  assert.equal(v2.json.version, v + 1);
  assert.equal((await list()).length, before.length + 2);
});

test('contest upload: a bad field is 400 naming it, and nothing is stored', async () => {
  const org = await login(srv, 'bantochuc');
  const contests = async () => (await srv.api('GET', '/api/admin/contests', { cookie: org.cookie })).json.contests;
  const publicList = async () => (await srv.api('GET', '/api/contests')).text;
  const before = await contests();
  const publicBefore = JSON.parse(await publicList()).contests.map((c) => c.id);
  const base = () => {
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'std.json'), 'utf8'));
    doc.id = 'cuoc-thi-loi';
    doc.rounds.push({ ...structuredClone(doc.rounds[0]), id: 'vong-2', title: 'Vòng 2', opens_at: 'now+6d', closes_at: 'now+7d' });
    return doc;
  };
  const cases = [
    ['closes before opens', (d) => { d.rounds[0].closes_at = 'now-2d'; }, 'rounds[0].closes_at'],
    ['a bad time', (d) => { d.rounds[1].closes_at = 'ngày mai'; }, 'rounds[1].closes_at'],
    ['a bad opens_at', (d) => { d.rounds[0].opens_at = '2026-13-01T00:00:00Z'; }, 'rounds[0].opens_at'],
    ['unknown round key', (d) => { d.rounds[1].duration = 5; }, 'rounds[1].duration'],
    ['bad counting', (d) => { d.rounds[0].counting = 'worst'; }, 'rounds[0].counting'],
    ['attempts 0', (d) => { d.rounds[0].attempts = 0; }, 'rounds[0].attempts'],
    ['bad difficulty', (d) => { d.rounds[0].blueprint[0].difficulty = 'very'; }, 'rounds[0].blueprint[0].difficulty'],
    ['too many questions asked of a category', (d) => { d.rounds[1].blueprint[2].count = 100; }, 'rounds[1].blueprint[2]'],
    ['bad review', (d) => { d.review = 'sometimes'; }, 'review'],
    ['bad registration mode', (d) => { d.registration.cccd = 'maybe'; }, 'registration.cccd'],
    ['bad ranking key', (d) => { d.ranking = ['score_desc', 'luck_desc']; }, 'ranking[1]'],
    ['grace out of range', (d) => { d.grace_seconds = 100000; }, 'grace_seconds'],
    ['unknown bank', (d) => { d.banks = [{ id: 'khong-co' }]; }, 'banks[0].id'],
    ['bad unit id', (d) => { d.units[1].id = 'Sở Tư pháp'; }, 'units[1].id'],
    ['unknown top-level key', (d) => { d.theme = 'blue'; }, 'theme'],
    ['bad format', (d) => { d.format = 'cchc-contest/9'; }, 'format'],
    ['missing title', (d) => { delete d.title; }, 'title'],
  ];
  for (const [what, mutate, field] of cases) {
    const doc = base();
    mutate(doc);
    const r = await srv.api('POST', '/api/admin/contests', { cookie: org.cookie, csrf: org.csrf, body: doc });
    assert.equal(r.status, 400, `${what}: ${r.status} ${r.text.slice(0, 300)}`);
    assert.equal(r.json.error.code, 'validation', `${what}: ${r.text}`);
    assert.equal(r.json.error.field, field, `${what}: ${r.text}`);
  }
  assert.deepEqual(await contests(), before, 'no contest stored');
  assertError(await srv.api('GET', '/api/contests/cuoc-thi-loi'), 404, 'not_found');
  assertError(await srv.api('GET', '/api/contests/cuoc-thi-loi/units'), 404, 'not_found');

  // a failed update leaves an existing contest as it was
  const demoBefore = (await srv.api('GET', `/api/contests/${DEMO}`)).json;
  const demoDoc = JSON.parse(fs.readFileSync(path.join(REPO, 'scripts', 'demo', 'contest.json'), 'utf8'));
  demoDoc.title = 'Tiêu đề đã bị sửa';
  demoDoc.units.push({ id: 'don-vi-moi', name: 'Đơn vị mới' });
  demoDoc.rounds[1].closes_at = 'now-30d';
  const upd = await srv.api('POST', '/api/admin/contests', { cookie: org.cookie, csrf: org.csrf, body: demoDoc });
  assertError(upd, 400, 'validation', 'rounds[1].closes_at');
  const demoAfter = (await srv.api('GET', `/api/contests/${DEMO}`)).json;
  delete demoBefore.server_time_ms;
  delete demoAfter.server_time_ms;
  for (const r of [...demoBefore.rounds, ...demoAfter.rounds]) delete r.status;
  assert.deepEqual(demoAfter, demoBefore, 'the demo contest is unchanged');
  assert.deepEqual(JSON.parse(await publicList()).contests.map((c) => c.id), publicBefore);

  // and a good one is stored
  const good = base();
  good.id = 'cuoc-thi-tot';
  const ok = await srv.api('POST', '/api/admin/contests', { cookie: org.cookie, csrf: org.csrf, body: good });
  assertStatus(ok, 201, 'valid contest');
  assert.equal(ok.json.contest_id, 'cuoc-thi-tot');
  const info = await srv.api('GET', '/api/contests/cuoc-thi-tot');
  assertStatus(info, 200);
  assert.equal(info.json.rounds.length, 2);
  assert.equal(info.json.rounds[0].status, 'open');
  assert.equal(info.json.rounds[1].status, 'upcoming');
  assert.equal(info.json.review, 'after_submit');
  assert.deepEqual(info.json.registration.cccd, 'optional');
  assert.equal((await contests()).length, before.length + 1);
});
