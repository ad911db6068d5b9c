// Plan tracking (/api/plan/...): the shipped plan 52/KH-UBND loaded with the
// demo, roles and CSRF on every route, reporters bound to their agency, overdue
// derivation, content coverage against imported banks, live contest figures on
// the linked task, comments, and the consolidated report as JSON and XLSX.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import {
  startServer, cli, register, roundId, startAttempt, answersFor, correctAnswer, login,
  assertStatus, assertError, DEMO, STAFF_PASSWORD, REPO,
} from './lib.mjs';

const PLAN = 'ke-hoach-52-2017';
const srv = await startServer({
  staff: [
    { username: 'quantri', role: 'admin' },
    { username: 'sonoivu', role: 'organiser' },
    { username: 'giamkhao', role: 'judge' },
  ],
});
// reporters: one made with the CLI while the server runs, one by the admin over HTTP
cli(['user', 'add', '--db', srv.db, '--role', 'reporter', '--agency', 'dai-ptth', 'bc-ptth'], {
  env: { CCHC_PASSWORD: STAFF_PASSWORD },
});
const S = {
  admin: await login(srv, 'quantri'),
  organiser: await login(srv, 'sonoivu'),
  judge: await login(srv, 'giamkhao'),
  reporter: await login(srv, 'bc-ptth'),
};
const as = (who, method, p, body) => srv.api(method, p, { cookie: S[who].cookie, csrf: S[who].csrf, body });

const overview = async (planId = PLAN, asOf) => {
  const r = await as('organiser', 'GET', `/api/plan/plans/${planId}${asOf ? '?as_of=' + asOf : ''}`);
  assertStatus(r, 200, 'plan overview');
  return r.json;
};
const shipped = await overview();
const taskByKey = (key) => {
  const t = shipped.tasks.find((x) => x.key === key);
  assert.ok(t, `task ${key}`);
  return t;
};
const PTTH_TASK = taskByKey('v4-duy-tri-chuong-trinh@dai-ptth');
const BAO_TASK = taskByKey('v4-duy-tri-chuong-trinh@bao-nghe-an');
const CONTEST_TASK = taskByKey('iv2-cuoc-thi');

// a minimal reading of a ZIP archive (the XLSX): name → inflated contents
function unzip(buf) {
  const files = new Map();
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28);
    const xlen = buf.readUInt16LE(p + 30);
    const clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + csize);
    files.set(name, method === 8 ? zlib.inflateRawSync(raw) : raw);
    p += 46 + nlen + xlen + clen;
  }
  return files;
}

test('serve --demo loads the shipped plan 52/KH-UBND (2017) with its 60 tasks', async () => {
  const r = await as('organiser', 'GET', '/api/plan/plans');
  assertStatus(r, 200);
  const p = r.json.plans.find((x) => x.id === PLAN);
  assert.ok(p, JSON.stringify(r.json));
  assert.equal(p.number, '52/KH-UBND');
  assert.equal(p.tasks, 60);
  assert.deepEqual(p.period, { start: '2017-02-06', end: '2017-12-31' });
  assert.equal(shipped.counts.total, 60);
  assert.equal(shipped.purposes.length, 3);
  assert.equal(shipped.forms.length, 4);
  assert.equal(shipped.distribution.length, 10);
  // the demo contest's units are agencies of the plan
  const contest = shipped.contests.find((c) => c.id === DEMO);
  assert.ok(contest && contest.found, 'the contest task links the demo contest');
  const ids = contest.agencies.map((a) => a.agency);
  for (const u of ['so-noi-vu', 'so-tu-phap', 'so-tt-tt', 'so-tai-chinh', 'so-gd-dt', 'dai-ptth', 'bao-nghe-an',
    'tp-vinh', 'tx-thai-hoa', 'h-dien-chau', 'h-quynh-luu', 'h-ky-son']) assert.ok(ids.includes(u), u);
  // overdue first
  const ranks = { overdue: 0, in_progress: 1, not_started: 2, done: 3 };
  for (let i = 1; i < shipped.tasks.length; i++) {
    assert.ok(ranks[shipped.tasks[i - 1].status] <= ranks[shipped.tasks[i].status], 'overdue first');
  }
  // a second start does not load it again (nothing changes): the CLI skips an existing plan
  const again = cli(['plan', 'validate', `${REPO}/plans/${PLAN}.json`]);
  assert.match(again.stdout, /ok, plan ke-hoach-52-2017: 52 agencies, 24 content items, 60 tasks \(13 as written\)/);
});

// [method, path, roles allowed, body]
const ROUTES = () => [
  ['GET', '/api/plan/plans', ['admin', 'organiser', 'reporter']],
  ['POST', '/api/plan/plans', ['admin', 'organiser'], testPlan('plan-quyen')],
  ['GET', `/api/plan/plans/${PLAN}`, ['admin', 'organiser']],
  ['GET', `/api/plan/plans/${PLAN}/coverage`, ['admin', 'organiser']],
  ['GET', `/api/plan/plans/${PLAN}/summary?period=2017`, ['admin', 'organiser']],
  ['GET', `/api/plan/plans/${PLAN}/summary.xlsx?period=2017-Q1`, ['admin', 'organiser']],
  ['GET', `/api/plan/plans/${PLAN}/agencies/dai-ptth`, ['admin', 'organiser', 'reporter']],
  ['GET', `/api/plan/tasks/${PTTH_TASK.id}`, ['admin', 'organiser', 'reporter']],
  ['POST', `/api/plan/tasks/${PTTH_TASK.id}/reports`, ['admin', 'organiser', 'reporter'],
    { date: '2017-03-20', text: 'Báo cáo kiểm tra quyền' }],
  ['PUT', `/api/plan/tasks/${CONTEST_TASK.id}/contests`, ['admin', 'organiser'], { contests: [DEMO] }],
  ['POST', '/api/plan/reports/1/comments', ['admin', 'organiser'], { text: 'Ý kiến kiểm tra quyền' }],
];

test('every plan route: 401 without a session, 403 for the wrong role, 403 without CSRF, 2xx for the right role', async () => {
  const participant = await register(srv, DEMO, { unit_id: 'so-noi-vu' });
  // a report exists before the comments route is tried
  assertStatus(await as('organiser', 'POST', `/api/plan/tasks/${PTTH_TASK.id}/reports`,
    { date: '2017-03-01', text: 'Báo cáo đầu tiên' }), 201);
  for (const [m, p, allowed, body] of ROUTES()) {
    assertError(await srv.api(m, p, { body }), 401, 'unauthorized');
    assertError(await srv.api(m, p, { body, token: participant.token }), 401, 'unauthorized');
    assertError(await srv.api(m, p, { body, cookie: 'ab'.repeat(32), csrf: 'x' }), 401, 'unauthorized');
    for (const role of Object.keys(S)) {
      if (!allowed.includes(role)) {
        assertError(await as(role, m, p, body), 403, 'forbidden');
        continue;
      }
      if (m !== 'GET') {
        assertError(await srv.api(m, p, { cookie: S[role].cookie, body }), 403, 'forbidden', 'X-CSRF-Token');
        assertError(await srv.api(m, p, { cookie: S[role].cookie, csrf: 'cd'.repeat(32), body }), 403, 'forbidden', 'X-CSRF-Token');
      }
      const r = await as(role, m, p, body);
      assert.ok(r.status === 200 || r.status === 201, `${role} ${m} ${p}: ${r.status} ${r.text.slice(0, 300)}`);
    }
  }
  // 405 and 404 inside /api/plan
  assertError(await as('organiser', 'DELETE', `/api/plan/plans/${PLAN}`), 405, 'method_not_allowed');
  assertError(await as('organiser', 'GET', '/api/plan/plans/khong-co'), 404, 'not_found');
  assertError(await as('organiser', 'GET', '/api/plan/tasks/999999'), 404, 'not_found');
  assertError(await as('organiser', 'POST', '/api/plan/reports/999999/comments', { text: 'x' }), 404, 'not_found');
  // body limits
  assertError(await as('organiser', 'POST', `/api/plan/tasks/${PTTH_TASK.id}/reports`,
    { text: 'x'.repeat(17 * 1024) }), 413, 'too_large');
});

test('a reporter sees and reports for its own agency only (403 otherwise)', async () => {
  const me = await as('reporter', 'GET', '/api/auth/me');
  assert.equal(me.json.role, 'reporter');
  assert.equal(me.json.agency, 'dai-ptth');
  assertStatus(await as('reporter', 'GET', `/api/plan/plans/${PLAN}/agencies/dai-ptth`), 200);
  assertError(await as('reporter', 'GET', `/api/plan/plans/${PLAN}/agencies/bao-nghe-an`), 403, 'forbidden');
  assertError(await as('reporter', 'GET', `/api/plan/tasks/${BAO_TASK.id}`), 403, 'forbidden');
  assertError(await as('reporter', 'POST', `/api/plan/tasks/${BAO_TASK.id}/reports`, { text: 'Không phải việc của tôi' }), 403, 'forbidden');
  assertError(await as('reporter', 'GET', `/api/plan/plans/${PLAN}`), 403, 'forbidden');
  const r = await as('reporter', 'POST', `/api/plan/tasks/${PTTH_TASK.id}/reports`, {
    date: '2017-05-10', text: 'Phát sóng chuyên mục "Cải cách hành chính" hằng tuần',
    figures: { broadcast_minutes: 240, articles: 4, conferences: null },
    evidence: ['https://truyenhinhnghean.vn/chuyen-muc/cai-cach-hanh-chinh'],
  });
  assertStatus(r, 201, 'own report');
  assert.equal(r.json.agency, 'dai-ptth');
  assert.equal(r.json.date, '2017-05-10');
  // the organiser files for any agency
  assertStatus(await as('organiser', 'POST', `/api/plan/tasks/${BAO_TASK.id}/reports`,
    { date: '2017-05-11', text: 'Báo Nghệ An đăng 6 tin, bài', figures: { articles: 6 } }), 201);
  // validation names the field
  const bad = [
    [{ text: '   ' }, 'text'],
    [{ date: '2017-02-30', text: 'x' }, 'date'],
    [{ date: '2999-01-01', text: 'x' }, 'date'],
    [{ text: 'x', figures: { articles: -1 } }, 'figures.articles'],
    [{ text: 'x', figures: { viewers: 3 } }, 'figures.viewers'],
    [{ text: 'x', evidence: ['javascript:alert(1)'] }, 'evidence[0]'],
    [{ text: 'x', done: 'yes' }, 'done'],
    [{ text: 'x', agency: 'bao-nghe-an' }, 'agency'],
  ];
  for (const [body, field] of bad) {
    assertError(await as('reporter', 'POST', `/api/plan/tasks/${PTTH_TASK.id}/reports`, body), 400, 'validation', field);
  }
  // the agency page shows the report, with its figures and evidence
  const page = await as('reporter', 'GET', `/api/plan/plans/${PLAN}/agencies/dai-ptth`);
  const rep = page.json.reports.find((x) => x.id === r.json.report_id);
  assert.ok(rep);
  assert.equal(rep.figures.broadcast_minutes, 240);
  assert.equal(rep.figures.conferences, null);
  assert.deepEqual(rep.evidence, ['https://truyenhinhnghean.vn/chuyen-muc/cai-cach-hanh-chinh']);
  assert.equal(rep.author, 'bc-ptth');
  // reporter accounts over HTTP: the agency must be one of the plans'
  const mk = (agency) => as('admin', 'POST', '/api/admin/users',
    { username: 'bc-bao', password: STAFF_PASSWORD, role: 'reporter', ...(agency ? { agency } : {}) });
  assertError(await mk(null), 400, 'validation', 'agency');
  assertError(await mk('khong-co-don-vi'), 400, 'validation', 'agency');
  assertStatus(await mk('bao-nghe-an'), 201);
  const bao = await login(srv, 'bc-bao');
  assertStatus(await srv.api('GET', `/api/plan/plans/${PLAN}/agencies/bao-nghe-an`, { cookie: bao.cookie }), 200);
  assertError(await srv.api('GET', `/api/plan/plans/${PLAN}/agencies/dai-ptth`, { cookie: bao.cookie }), 403, 'forbidden');
});

test('organisers comment on any report; the comment shows on the agency page', async () => {
  const page = await as('organiser', 'GET', `/api/plan/plans/${PLAN}/agencies/dai-ptth`);
  const rep = page.json.reports[0];
  const c = await as('organiser', 'POST', `/api/plan/reports/${rep.id}/comments`, { text: 'Đề nghị bổ sung số liệu phát sóng tháng 4.' });
  assertStatus(c, 201);
  assertError(await as('reporter', 'POST', `/api/plan/reports/${rep.id}/comments`, { text: 'Tự bình luận' }), 403, 'forbidden');
  assertError(await as('organiser', 'POST', `/api/plan/reports/${rep.id}/comments`, { text: '' }), 400, 'validation', 'text');
  const after = await as('reporter', 'GET', `/api/plan/plans/${PLAN}/agencies/dai-ptth`);
  const same = after.json.reports.find((x) => x.id === rep.id);
  assert.ok(same.comments.some((x) => x.text === 'Đề nghị bổ sung số liệu phát sóng tháng 4.' && x.author === 'sonoivu'));
});

// A plan of 2024 with one task per frequency, for dates that do not move.
function testPlan(id, extra = {}) {
  return {
    format: 'cchc-plan/1', id, number: '99/KH-TEST', date: '2024-01-02', issuer: 'Ủy ban nhân dân tỉnh Thử',
    title: 'Kế hoạch kiểm thử', year: 2024, period: { start: '2024-01-01', end: '2024-12-31' }, grace_days: 5,
    content: [
      { id: 'chu-de-moi', kind: 'topic', title: 'Chủ đề mới', match: { tags: ['chu-de-moi-xyz'], documents: ['Quyết định 777/QĐ-THU'] } },
      { id: 'nq-30c', kind: 'document', title: 'Nghị quyết 30c/NQ-CP', match: { tags: ['30c'], documents: ['30c/NQ-CP'] } },
    ],
    agency_kinds: [{ id: 'department', name: 'Sở, ban, ngành' }, { id: 'district', name: 'Huyện' }],
    agencies: [
      { id: 'so-noi-vu', name: 'Sở Nội vụ', kind: 'department' },
      { id: 'so-tu-phap', name: 'Sở Tư pháp', kind: 'department' },
      { id: 'h-ky-son', name: 'UBND huyện Kỳ Sơn', kind: 'district' },
    ],
    tasks: [
      { id: 'mot-lan', section: 'V.1', text: 'Ban hành kế hoạch', responsible: ['all:department'], frequency: 'once', due: '2024-03-31' },
      { id: 'hang-thang', section: 'V.2', text: 'Báo cáo hằng tháng', responsible: ['so-noi-vu'], frequency: 'monthly' },
      { id: 'hang-quy', section: 'V.3', text: 'Báo cáo hằng quý', responsible: ['h-ky-son'], frequency: 'quarterly' },
      { id: 'hang-nam', section: 'V.4', text: 'Tổng kết năm', responsible: ['so-tu-phap'], frequency: 'yearly' },
    ],
    ...extra,
  };
}

test('overdue derivation through the API, for each frequency', async () => {
  const up = await as('organiser', 'POST', '/api/plan/plans', testPlan('plan-thu'));
  assertStatus(up, 201, 'upload');
  assert.deepEqual(up.json, { plan_id: 'plan-thu', agencies: 3, source_tasks: 4, tasks: 5 });
  const status = async (asOf) => {
    const o = await overview('plan-thu', asOf);
    return Object.fromEntries(o.tasks.map((t) => [t.key, t]));
  };
  let s = await status('2024-01-31');
  assert.equal(s['mot-lan@so-noi-vu'].status, 'not_started');
  assert.equal(s['hang-thang'].status, 'not_started');
  s = await status('2024-02-05'); // January + 5 grace days
  assert.equal(s['hang-thang'].status, 'not_started');
  s = await status('2024-02-06');
  assert.equal(s['hang-thang'].status, 'overdue');
  assert.equal(s['hang-thang'].overdue_since, '2024-02-06');
  assert.equal(s['hang-thang'].periods_missed, 1);
  s = await status('2024-04-01');
  assert.equal(s['mot-lan@so-noi-vu'].status, 'overdue');
  assert.equal(s['mot-lan@so-noi-vu'].overdue_since, '2024-04-01');
  assert.equal(s['hang-quy'].status, 'not_started'); // Q1 + 5 days
  s = await status('2024-04-06');
  assert.equal(s['hang-quy'].status, 'overdue');
  s = await status('2024-12-31');
  assert.equal(s['hang-nam'].status, 'not_started');
  s = await status('2025-01-06');
  assert.equal(s['hang-nam'].status, 'overdue');
  // reports change the picture
  const post = (key, body) => as('organiser', 'POST', `/api/plan/tasks/${s[key].id}/reports`, body);
  assertStatus(await post('hang-thang', { date: '2024-01-20', text: 'Báo cáo tháng 1' }), 201);
  assertStatus(await post('hang-quy', { date: '2024-02-15', text: 'Báo cáo quý I' }), 201);
  assertStatus(await post('mot-lan@so-noi-vu', { date: '2024-04-10', text: 'Đã ban hành kế hoạch', done: true }), 201);
  assertStatus(await post('hang-nam', { date: '2024-06-01', text: 'Sơ kết 6 tháng' }), 201);
  s = await status('2024-02-06');
  assert.equal(s['hang-thang'].status, 'in_progress');
  s = await status('2024-03-06');
  assert.equal(s['hang-thang'].status, 'overdue'); // February missed
  s = await status('2024-04-06');
  assert.equal(s['hang-quy'].status, 'in_progress');
  assert.equal(s['mot-lan@so-noi-vu'].status, 'overdue'); // done only on the 10th
  s = await status('2024-04-15');
  assert.equal(s['mot-lan@so-noi-vu'].status, 'done');
  assert.equal(s['mot-lan@so-noi-vu'].done_on, '2024-04-10');
  assert.equal(s['mot-lan@so-tu-phap'].status, 'overdue');
  s = await status('2025-01-06');
  assert.equal(s['hang-nam'].status, 'done'); // its only period has a report
  assert.equal(s['hang-quy'].status, 'overdue'); // Q2-Q4 missed
  assert.equal(s['hang-quy'].periods_missed, 3);
  // the task and agency views agree with the dashboard
  const t = await as('organiser', 'GET', `/api/plan/tasks/${s['hang-quy'].id}?as_of=2024-04-06`);
  assert.equal(t.json.task.status, 'in_progress');
  const a = await as('organiser', 'GET', '/api/plan/plans/plan-thu/agencies/so-tu-phap?as_of=2024-04-15');
  // its report of 01/06 is not counted on 15/04
  assert.deepEqual(a.json.tasks.map((x) => [x.key, x.status]), [['mot-lan@so-tu-phap', 'overdue'], ['hang-nam', 'not_started']]);
  assert.equal(a.json.counts.overdue, 1);
  // the timeline has one month-end snapshot per month up to the day asked
  const o = await overview('plan-thu', '2024-04-15');
  assert.deepEqual(o.timeline.map((m) => m.month), ['2024-01', '2024-02', '2024-03', '2024-04']);
  assert.equal(o.timeline[0].reports, 1); // the monthly report of 20/01
  assertError(await as('organiser', 'GET', '/api/plan/plans/plan-thu?as_of=2024-13-01'), 400, 'validation', 'as_of');
});

test('plan upload errors name the field and store nothing; reloading keeps reports', async () => {
  const bad = testPlan('plan-loi');
  bad.tasks[1].responsible = ['so-khong-co'];
  assertError(await as('organiser', 'POST', '/api/plan/plans', bad), 400, 'validation', 'tasks[1].responsible[0]');
  const bad2 = testPlan('plan-loi');
  bad2.tasks[0].due = 'ngày mai';
  assertError(await as('organiser', 'POST', '/api/plan/plans', bad2), 400, 'validation', 'tasks[0].due');
  assertError(await as('organiser', 'POST', '/api/plan/plans', { ...testPlan('plan-loi'), typo: 1 }), 400, 'validation', 'typo');
  assertError(await as('organiser', 'GET', '/api/plan/plans/plan-loi'), 404, 'not_found');
  // the CLI says the same, and stores nothing either
  const fs = await import('node:fs');
  const file = `${srv.dir}/plan-loi.json`;
  fs.writeFileSync(file, JSON.stringify(bad, null, 2));
  assert.throws(() => cli(['plan', 'load', '--db', srv.db, file]), /tasks\[1\]\.responsible\[0\]: không có cơ quan "so-khong-co"/);
  assertError(await as('organiser', 'GET', '/api/plan/plans/plan-loi'), 404, 'not_found');
  // reload plan-thu with a task removed and one added: reports of kept tasks stay
  const before = await as('organiser', 'GET', '/api/plan/plans/plan-thu/agencies/so-noi-vu');
  const reports = before.json.reports.length;
  assert.ok(reports >= 2);
  const next = testPlan('plan-thu');
  next.tasks = next.tasks.filter((t) => t.id !== 'hang-nam');
  next.tasks.push({ id: 'moi', section: 'V.5', text: 'Nhiệm vụ mới', responsible: ['so-noi-vu'], frequency: 'once', due: '2024-06-30' });
  fs.writeFileSync(file, JSON.stringify(next));
  const out = cli(['plan', 'load', '--db', srv.db, file]);
  assert.match(out.stdout, /plan plan-thu \(99\/KH-TEST\) loaded: 3 agencies, 5 tasks \(4 as written\)/);
  const after = await as('organiser', 'GET', '/api/plan/plans/plan-thu/agencies/so-noi-vu');
  assert.equal(after.json.reports.length, reports);
  assert.ok(after.json.tasks.some((t) => t.key === 'moi'));
  const o = await overview('plan-thu');
  assert.ok(!o.tasks.some((t) => t.key === 'hang-nam'), 'a task no longer in the file is hidden');
});

test('coverage counts change when a bank is imported', async () => {
  const cov = async (id) => {
    const r = await as('organiser', 'GET', `/api/plan/plans/${id}/coverage`);
    assertStatus(r, 200);
    return r.json;
  };
  const count = (c, id) => c.items.find((x) => x.id === id).questions;
  const before = await cov('plan-thu');
  const shippedBefore = await cov(PLAN);
  assert.ok(before.questions > 0, 'the demo banks are stored');
  assert.ok(count(before, 'nq-30c') > 0, 'the shipped bank covers 30c');
  assert.equal(count(before, 'chu-de-moi'), 0);
  assert.ok(before.uncovered.includes('chu-de-moi'));
  const q = (n, extra) => ({
    id: `q-${n}`, category: 'tthc', difficulty: 'easy', track: 'both', text: `Câu hỏi về chủ đề mới số ${n}?`,
    options: ['Đúng', 'Sai'], correct: 0, explanation: 'Giải thích.', ...extra,
  });
  const bank = {
    format: 'cchc-bank/1', id: 'ngan-hang-ke-hoach', title: 'Ngân hàng kiểm thử kế hoạch', version: 1,
    categories: [{ id: 'tthc', title: 'Thủ tục hành chính' }],
    questions: [
      q(1, { source: { document: 'Tài liệu' }, tags: ['chu-de-moi-xyz'] }),
      q(2, { source: { document: 'Quyết định 777/QĐ-THU của UBND tỉnh' } }),
      q(3, { source: { document: 'Nghị quyết 30c/NQ-CP' }, tags: ['4115/QĐ-UBND', 'PCI'] }),
      q(4, { source: { document: 'Quyết định 17777/QĐ-THU' } }), // not a whole word: no match
    ],
  };
  const r = await srv.api('POST', '/api/admin/banks?name=ke-hoach.json', {
    cookie: S.organiser.cookie, csrf: S.organiser.csrf, body: JSON.stringify(bank),
  });
  assertStatus(r, 201, 'bank upload');
  const after = await cov('plan-thu');
  assert.equal(after.questions, before.questions + 4);
  assert.equal(count(after, 'chu-de-moi'), 2);
  assert.equal(count(after, 'nq-30c'), count(before, 'nq-30c') + 1);
  assert.ok(!after.uncovered.includes('chu-de-moi'));
  const shippedAfter = await cov(PLAN);
  assert.equal(count(shippedAfter, 'qd-4115-ubnd'), count(shippedBefore, 'qd-4115-ubnd') + 1);
  assert.equal(count(shippedAfter, 'pci'), count(shippedBefore, 'pci') + 1);
  assert.equal(count(shippedAfter, 'area-tthc'), count(shippedBefore, 'area-tthc') + 4);
});

test('live contest figures appear on the linked task after a participant submits', async () => {
  const figures = async () => {
    const r = await as('organiser', 'GET', `/api/plan/tasks/${CONTEST_TASK.id}`);
    assertStatus(r, 200);
    const c = r.json.contests.find((x) => x.id === DEMO);
    assert.ok(c && c.found, 'linked contest');
    return c.agencies.find((a) => a.agency === 'so-tt-tt');
  };
  const before = await figures();
  assert.equal(before.agency_name, 'Sở Thông tin và Truyền thông');
  assert.equal(before.headcount, 70);
  const p = await register(srv, DEMO, { unit_id: 'so-tt-tt', full_name: 'Trần Thị Truyền Thông' });
  const mid = await figures();
  assert.equal(mid.participants, before.participants + 1);
  assert.equal(mid.finished_attempts, before.finished_attempts);
  const a = await startAttempt(srv, p.token, await roundId(srv, DEMO, 0));
  const sub = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, {
    token: p.token, body: { answers: answersFor(a, correctAnswer) },
  });
  assertStatus(sub, 200, 'submit');
  const after = await figures();
  assert.equal(after.participants, before.participants + 1);
  assert.equal(after.finished_attempts, before.finished_attempts + 1);
  assert.ok(after.average_score > 0, JSON.stringify(after));
  assert.equal(after.participation_rate, Math.round(after.participants / 70 * 10000) / 10000);
  // the same on the agency page and in the consolidated report
  const ag = await as('organiser', 'GET', `/api/plan/plans/${PLAN}/agencies/so-tt-tt`);
  assert.equal(ag.json.contests[0].agencies[0].participants, after.participants);
  const sum = await as('organiser', 'GET', `/api/plan/plans/${PLAN}/summary?period=2017`);
  const row = sum.json.agencies.find((x) => x.id === 'so-tt-tt');
  assert.equal(row.contest.participants, after.participants);
  assert.equal(row.contest.finished_attempts, after.finished_attempts);
  // participants count as activity: the contest task is in progress before its due date
  const t = await as('organiser', 'GET', `/api/plan/tasks/${CONTEST_TASK.id}?as_of=2017-06-01`);
  assert.equal(t.json.task.status, 'in_progress');
  // linking another task to contests
  const other = taskByKey('v2-noi-dung-trong-tam');
  assertError(await as('organiser', 'PUT', `/api/plan/tasks/${other.id}/contests`, { contests: ['khong-co'] }), 400, 'validation', 'contests[0]');
  const link = await as('organiser', 'PUT', `/api/plan/tasks/${other.id}/contests`, { contests: [DEMO, DEMO] });
  assertStatus(link, 200);
  assert.deepEqual(link.json.contests, [DEMO]);
  const linked = await as('organiser', 'GET', `/api/plan/tasks/${other.id}`);
  assert.equal(linked.json.contests[0].id, DEMO);
});

test('the consolidated report: JSON for a period, and an XLSX that opens', async () => {
  const r = await as('organiser', 'GET', `/api/plan/plans/${PLAN}/summary?period=2017-Q2`);
  assertStatus(r, 200);
  assert.equal(r.json.period.label, 'Quý II năm 2017');
  assert.equal(r.json.period.from, '2017-04-01');
  assert.equal(r.json.as_of, '2017-06-30');
  const ptth = r.json.agencies.find((x) => x.id === 'dai-ptth');
  assert.equal(ptth.name, 'Đài Phát thanh - Truyền hình tỉnh');
  assert.equal(ptth.figures.broadcast_minutes, 240); // the report of 10/05/2017
  assert.equal(ptth.tasks, 3);
  assert.equal(r.json.agencies.length, 45); // departments, districts, media
  assertError(await as('organiser', 'GET', `/api/plan/plans/${PLAN}/summary`), 400, 'validation', 'period');
  assertError(await as('organiser', 'GET', `/api/plan/plans/${PLAN}/summary?period=2017-Q7`), 400, 'validation', 'period');
  const x = await fetch(`${srv.base}/api/plan/plans/${PLAN}/summary.xlsx?period=2017-Q2`, {
    headers: { Cookie: `cchc_session=${S.organiser.cookie}` },
  });
  assert.equal(x.status, 200);
  assert.equal(x.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(x.headers.get('content-disposition'), /attachment; filename="bao-cao-ke-hoach-52-2017-2017-Q2\.xlsx"/);
  const buf = Buffer.from(await x.arrayBuffer());
  assert.equal(buf.subarray(0, 4).toString('binary'), 'PK\x03\x04', 'a ZIP archive');
  const files = unzip(buf);
  for (const f of ['[Content_Types].xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']) {
    assert.ok(files.has(f), f);
  }
  const strings = files.get('xl/sharedStrings.xml').toString('utf8');
  for (const s of ['Đài Phát thanh - Truyền hình tỉnh', 'UBND huyện Kỳ Sơn', 'Sở Thông tin và Truyền thông',
    'Tổng cộng', 'Kỳ báo cáo: Quý II năm 2017', 'Quá hạn', 'Người dự thi']) {
    assert.ok(strings.includes(s), `sharedStrings has "${s}"`);
  }
  const wb = files.get('xl/workbook.xml').toString('utf8');
  assert.ok(wb.includes('name="Tổng hợp"') && wb.includes('name="Nhiệm vụ"'), wb);
});
