// Question banks over HTTP: upload in every format (raw body and multipart form), the
// report before anything is stored, confirmation, a contest built on the bank, versions
// and switching a contest's version, limits (413/400), roles, the question list, export,
// and regrading with its effect on the leaderboard (dry run, confirm, audit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  startServer, register, roundId, startAttempt, assertStatus, assertError, login, contestInfo,
} from './lib.mjs';

const srv = await startServer({
  staff: [
    { username: 'quantri', role: 'admin' },
    { username: 'bantochuc', role: 'organiser' },
    { username: 'bantochuc2', role: 'organiser' },
    { username: 'giamkhao', role: 'judge' },
  ],
});
const org = await login(srv, 'bantochuc');

// ---- a small bank in every format ----------------------------------------------------
// Six questions, two categories; difficulty easy/medium/hard twice, tracks vary.
const QS = [
  { cat: 'tthc', title: 'Thủ tục hành chính', d: 'easy', t: 'both', text: 'Cơ chế một cửa được thực hiện ở đâu?', opts: ['Bộ phận Một cửa', 'Phòng họp', 'Nhà văn hóa', 'Bưu điện'], key: 0 },
  { cat: 'tthc', title: 'Thủ tục hành chính', d: 'medium', t: 'citizen', text: 'Kênh nào để nộp hồ sơ trực tuyến?', opts: ['Cổng Dịch vụ công', 'Thư tay', 'Điện thoại bàn'], key: 0 },
  { cat: 'tthc', title: 'Thủ tục hành chính', d: 'hard', t: 'cbccvc', text: 'Nghị định 63/2010/NĐ-CP có hiệu lực từ ngày nào?', opts: ['08/6/2010', '14/10/2010', '01/01/2011', '25/9/2017'], key: 1 },
  { cat: 'the-che', title: 'Cải cách thể chế', d: 'easy', t: 'both', text: 'Nghị quyết 30c/NQ-CP ban hành năm nào?', opts: ['2001', '2011', '2021'], key: 1 },
  { cat: 'the-che', title: 'Cải cách thể chế', d: 'medium', t: 'both', text: 'Cơ quan thường trực về cải cách hành chính là cơ quan nào?', opts: ['Bộ Nội vụ', 'Bộ Tư pháp', 'Bộ Tài chính', 'Văn phòng Chính phủ'], key: 0 },
  { cat: 'the-che', title: 'Cải cách thể chế', d: 'hard', t: 'citizen', text: 'Luật Tổ chức chính quyền địa phương năm 2015 có bao nhiêu điều?', opts: ['123', '143', '153', '163'], key: 1 },
];
const LETTERS = 'ABCDEF';

function asGift() {
  let out = '// Ngân hàng thử GIFT\n';
  let cat = null;
  QS.forEach((q, i) => {
    if (q.cat !== cat) {
      out += `// @cchc-category {"id":"${q.cat}","title":"${q.title}"}\n$CATEGORY: $course$/top/${q.title}\n\n`;
      cat = q.cat;
    }
    out += `// @cchc {"difficulty":"${q.d}","track":"${q.t}"}\n::c${i + 1}::${q.text.replace(/[:{}=~#]/g, (c) => '\\' + c)} {\n`;
    q.opts.forEach((o, k) => { out += `  ${k === q.key ? '=' : '~'}${o.replace(/[:{}=~#]/g, (c) => '\\' + c)}\n`; });
    out += `  ####Giải thích câu ${i + 1}.\n}\n\n`;
  });
  return out;
}

function asAiken() {
  return QS.map((q, i) => [
    q.text, ...q.opts.map((o, k) => `${LETTERS[k]}. ${o}`), `ANSWER: ${LETTERS[q.key]}`,
    `ID: c${i + 1}`, `CATEGORY: ${q.cat} | ${q.title}`, `DIFFICULTY: ${q.d}`, `TRACK: ${q.t}`,
    `EXPLANATION: Giải thích câu ${i + 1}.`, '',
  ].join('\n')).join('\n');
}

function asCsv() {
  const cell = (v) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = [['Mã câu', 'Nhóm', 'Tên nhóm', 'Độ khó', 'Đối tượng', 'Câu hỏi', 'A', 'B', 'C', 'D', 'Đáp án đúng', 'Giải thích']];
  QS.forEach((q, i) => rows.push([`c${i + 1}`, q.cat, q.title, q.d, q.t, q.text, ...[0, 1, 2, 3].map((k) => q.opts[k] || ''), LETTERS[q.key], `Giải thích câu ${i + 1}.`]));
  return '\ufeff' + rows.map((r) => r.map(cell).join(';')).join('\r\n') + '\r\n';
}

function asXml() {
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n';
  let cat = null;
  QS.forEach((q, i) => {
    if (q.cat !== cat) {
      out += `<question type="category"><category><text>$course$/top/${esc(q.title)}</text></category><idnumber>${q.cat}</idnumber></question>\n`;
      cat = q.cat;
    }
    out += `<question type="multichoice"><name><text>c${i + 1}</text></name>\n`
      + `<questiontext format="html"><text><![CDATA[<p>${esc(q.text)}</p>]]></text></questiontext>\n`
      + `<generalfeedback format="plain_text"><text>Giải thích câu ${i + 1}.</text></generalfeedback><single>true</single>\n`
      + q.opts.map((o, k) => `<answer fraction="${k === q.key ? 100 : 0}"><text>${esc(o)}</text></answer>`).join('\n')
      + `\n<cchc difficulty="${q.d}" track="${q.t}"/></question>\n`;
  });
  return out + '</quiz>\n';
}

function asNative(id) {
  const cats = [];
  for (const q of QS) if (!cats.some((c) => c.id === q.cat)) cats.push({ id: q.cat, title: q.title });
  return JSON.stringify({
    format: 'cchc-bank/1', id, title: 'Ngân hàng thử JSON', version: 1, categories: cats,
    questions: QS.map((q, i) => ({
      id: `c${i + 1}`, category: q.cat, difficulty: q.d, track: q.t, text: q.text, options: q.opts,
      correct: q.key, explanation: `Giải thích câu ${i + 1}.`, source: { document: 'Tài liệu thử' },
    })),
  }, null, 2);
}

const FORMATS = {
  gift: { text: asGift, file: 'thu.gift' },
  aiken: { text: asAiken, file: 'thu.txt' },
  csv: { text: asCsv, file: 'thu.csv' },
  xml: { text: asXml, file: 'thu.xml' },
  native: { text: asNative, file: 'thu.json' },
};

/** POST a raw body to a bank route with query arguments. */
function postRaw(route, body, query = {}, who = org, contentType = 'text/plain; charset=utf-8') {
  const qs = new URLSearchParams(query).toString();
  return srv.api('POST', route + (qs ? '?' + qs : ''), {
    cookie: who.cookie, csrf: who.csrf, body, headers: { 'Content-Type': contentType },
  });
}

/** POST a multipart form (as a browser sends it) with a file and fields. */
async function postForm(route, body, filename, fields = {}, who = org) {
  const fd = new FormData();
  fd.append('file', new Blob([body]), filename);
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  const enc = new Response(fd);
  const buf = Buffer.from(await enc.arrayBuffer());
  return srv.api('POST', route, {
    cookie: who.cookie, csrf: who.csrf, body: buf,
    headers: { 'Content-Type': enc.headers.get('content-type') },
  });
}

async function banks() {
  const r = await srv.api('GET', '/api/admin/banks', { cookie: org.cookie });
  assertStatus(r, 200);
  return r.json.banks;
}

function checkReport(r, fmt, id) {
  assertStatus(r, 200, `preview ${fmt}`);
  const j = r.json;
  assert.equal(j.ok, true);
  assert.equal(j.format, fmt);
  assert.equal(j.errors, 0, JSON.stringify(j.problems));
  assert.match(j.upload_token, /^[0-9a-f]{64}$/);
  assert.ok(j.expires_at_ms > Date.now());
  assert.equal(j.bank.id, id);
  assert.equal(j.bank.questions, 6);
  assert.deepEqual(j.bank.categories.map((c) => [c.id, c.title, c.questions]),
    [['tthc', 'Thủ tục hành chính', 3], ['the-che', 'Cải cách thể chế', 3]]);
  assert.deepEqual(j.bank.difficulty, { easy: 2, medium: 2, hard: 2 });
  assert.deepEqual(j.bank.track, { both: 3, cbccvc: 1, citizen: 2 });
  assert.equal(j.previous, null, 'a new bank has no previous version');
  return j;
}

async function confirm(token, who = org) {
  return srv.api('POST', '/api/admin/banks/confirm', { cookie: who.cookie, csrf: who.csrf, body: { upload_token: token } });
}

test('every format, raw and multipart: report, nothing stored until confirmed, then stored once', async () => {
  for (const [fmt, f] of Object.entries(FORMATS)) {
    for (const mode of ['raw', 'form']) {
      const id = `thu-${fmt}-${mode}`;
      const text = f.text(id);
      const before = await banks();
      // raw uploads name the format once and let it be detected once
      const r = mode === 'raw'
        ? await postRaw('/api/admin/banks/preview', text, { id, title: `Thử ${fmt}`, name: f.file, ...(fmt === 'csv' ? {} : { format: fmt }) })
        : await postForm('/api/admin/banks/preview', text, f.file, { id, title: `Thử ${fmt}` });
      const rep = checkReport(r, fmt, id);
      assert.equal(rep.file, f.file);
      assert.deepEqual(await banks(), before, `${id}: nothing stored by the preview`);
      const c = await confirm(rep.upload_token);
      assertStatus(c, 201, `confirm ${id}`);
      assert.equal(c.json.bank_id, id);
      assert.equal(c.json.version, 1);
      assert.equal(c.json.questions, 6);
      assert.equal(c.json.format, fmt);
      // a token is used once
      assertError(await confirm(rep.upload_token), 404, 'not_found', 'upload_token');
      const after = await banks();
      assert.equal(after.length, before.length + 1);
      assert.equal(after.find((b) => b.bank_id === id).title, `Thử ${fmt}`);
    }
  }
  // the same bank in another format is the same content: no new version
  const again = await postRaw('/api/admin/banks/preview', asCsv(), { id: 'thu-gift-raw', title: 'Thử gift' });
  assertStatus(again, 200);
  assert.deepEqual(again.json.previous.key_changes, []);
  assert.equal(again.json.previous.unchanged, 6);
  const same = await confirm(again.json.upload_token);
  assertStatus(same, 200, 'same content, other format');
  assert.equal(same.json.unchanged, true);
  assert.equal(same.json.version, 1);
  // duplicates across banks are reported (the other uploads hold the same texts)
  assert.ok(again.json.duplicates.some((d) => d.kind === 'other_bank'), JSON.stringify(again.json.duplicates));
  assert.ok(again.json.problems.some((p) => p.severity === 'warning' && /trùng lặp/.test(p.message)));
});

test('the direct upload takes every format too (raw and multipart)', async () => {
  const r = await postRaw('/api/admin/banks', asAiken(), { id: 'thu-truc-tiep', name: 'x.txt' });
  assertStatus(r, 201);
  assert.equal(r.json.format, 'aiken');
  const f = await postForm('/api/admin/banks', asXml(), 'y.xml', { id: 'thu-truc-tiep-2' });
  assertStatus(f, 201);
  assert.equal(f.json.questions, 6);
});

test('a contest can be built on an uploaded bank and draws from it', async () => {
  const contest = {
    format: 'cchc-contest/1', id: 'thi-gift', title: 'Thi thử ngân hàng GIFT', organiser: 'Sở Nội vụ',
    rules: 'Thử.', banks: [{ id: 'thu-gift-form' }], tracks: ['cbccvc', 'citizen'],
    units: [{ id: 'so-noi-vu', name: 'Sở Nội vụ' }],
    rounds: [{ id: 'v1', title: 'Vòng 1', opens_at: 'now-1h', closes_at: 'now+1d', attempts: 1,
      blueprint: [{ category: 'tthc', count: 2 }, { category: 'the-che', count: 2 }] }],
  };
  const r = await srv.api('POST', '/api/admin/contests', { cookie: org.cookie, csrf: org.csrf, body: contest });
  assertStatus(r, 201, 'contest on the uploaded bank');
  const p = await register(srv, 'thi-gift', { unit_id: 'so-noi-vu', track: 'citizen' });
  const a = await startAttempt(srv, p.token, await roundId(srv, 'thi-gift', 0));
  assert.equal(a.questions.length, 4);
  const texts = new Set(QS.map((q) => q.text));
  for (const q of a.questions) assert.ok(texts.has(q.text), q.text);
  const list = await banks();
  assert.deepEqual(list.find((b) => b.bank_id === 'thu-gift-form').used_by, ['thi-gift']);
});

test('a bad file: the report lists errors by line, nothing is stored, no token', async () => {
  const cases = [
    ['gift', 'Câu một {=A ~B}\n\nKhông có đáp án đúng {~A ~B}\n\nChưa đóng {=A ~B\n', [[3, /chưa có đáp án đúng/], [5, /không được đóng/]]],
    ['aiken', 'Câu một?\nA. x\nB. y\n\nCâu hai?\nA. x\nB. y\nANSWER: A\n', [[1, /thiếu dòng ANSWER:/]]],
    ['csv', 'Câu hỏi;A;B;Đáp án đúng\nMột;x;y;A\nHai;x;y;Q\n', [[3, /đáp án đúng/]]],
    ['xml', '<quiz>\n<question type="multichoice">\n</quiz>\n', [[3, /không đóng/]]],
    ['gift', 'C\xb8n b\xe9 {=A ~B}\n', []],
  ];
  const before = await banks();
  for (const [fmt, text, expected] of cases) {
    const body = Buffer.from(text, fmt === 'gift' && text.includes('\xb8') ? 'latin1' : 'utf8');
    const r = await postRaw('/api/admin/banks/preview', body, { format: fmt, id: 'loi' });
    assertError(r, 400, 'validation');
    assert.equal(r.json.ok, false);
    assert.equal(r.json.upload_token, undefined);
    assert.ok(r.json.errors >= 1);
    for (const [line, re] of expected) {
      assert.ok(r.json.problems.some((p) => p.severity === 'error' && p.line === line && re.test(p.message)),
        `${fmt}: an error at line ${line} matching ${re}: ${JSON.stringify(r.json.problems)}`);
    }
    if (!expected.length) {
      assert.ok(r.json.problems.some((p) => p.line === 1 && /bảng mã cũ|TCVN3/.test(p.message)), JSON.stringify(r.json.problems));
    }
  }
  // an unsupported type is a warning with its line; the rest is imported
  const mixed = await postRaw('/api/admin/banks/preview', 'Tự luận {}\n\nCâu thật {=A ~B}\n', { format: 'gift', id: 'hon-hop' });
  assertStatus(mixed, 200);
  assert.equal(mixed.json.bank.questions, 1);
  assert.ok(mixed.json.problems.some((p) => p.line === 1 && p.severity === 'warning' && /kiểu "essay" không được hỗ trợ/.test(p.message)));
  assert.deepEqual(await banks(), before, 'nothing stored');
});

/** Announces a body of `length` bytes (Content-Length) but sends only its start: the
 * server refuses it from the header, before reading it, and closes the connection. */
function postHuge(server, who, route, length) {
  return new Promise((resolve, reject) => {
    const req = http.request(server.base + route, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'Content-Length': length, Cookie: `cchc_session=${who.cookie}`, 'X-CSRF-Token': who.csrf },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.write(Buffer.alloc(64 * 1024, 'a'));
  });
}

test('limits: body over the limit is 413; too many options, too long a text, too many questions are 400', async () => {
  const big = 10 * 1024 * 1024 + 1;
  assertError(await postHuge(srv, org, '/api/admin/banks/preview?format=gift', big), 413, 'too_large');
  assertError(await postHuge(srv, org, '/api/admin/banks', big), 413, 'too_large');
  const seven = await postRaw('/api/admin/banks/preview', 'Bảy {=1 ~2 ~3 ~4 ~5 ~6 ~7}\n', { format: 'gift', id: 'bay' });
  assertError(seven, 400, 'validation');
  assert.ok(seven.json.problems.some((p) => p.line === 1 && /7 lựa chọn \(mỗi câu hỏi có từ 2 đến 6 lựa chọn\)/.test(p.message)));
  const one = await postRaw('/api/admin/banks/preview', 'Một?\nA. x\nANSWER: A\n', { format: 'aiken', id: 'mot' });
  assertError(one, 400, 'validation');
  const long = await postRaw('/api/admin/banks/preview', `${'x'.repeat(2001)} {=a ~b}\n`, { format: 'gift', id: 'dai' });
  assertError(long, 400, 'validation');
  assert.ok(long.json.problems.some((p) => /quá dài \(2001 ký tự, tối đa 2000\)/.test(p.message)));
  let many = 'Câu hỏi;A;B;Đáp án đúng\n';
  for (let i = 0; i <= 20000; i++) many += `Câu ${i};a;b;A\n`;
  const tooMany = await postRaw('/api/admin/banks/preview', many, { id: 'nhieu' });
  assertError(tooMany, 400, 'validation');
  assert.ok(tooMany.json.problems.some((p) => /quá 20000 câu hỏi/.test(p.message)));
  assertError(await postRaw('/api/admin/banks/preview', '', { format: 'gift' }), 400, 'validation', 'file');
  assertError(await postRaw('/api/admin/banks/preview', 'x', { format: 'docx' }), 400, 'validation', 'format');
});

test('the body limit is configurable (serve --bank-max-mb)', async () => {
  const small = await startServer({ staff: [{ username: 'btc', role: 'organiser' }], args: ['--bank-max-mb', '1'] });
  const s = await login(small, 'btc');
  const r = await postHuge(small, s, '/api/admin/banks/preview?format=gift', 1024 * 1024 + 1);
  assertError(r, 413, 'too_large');
  assert.match(r.json.error.message, /1048576/);
  // just under the limit the body is read (and checked)
  const under = await small.api('POST', '/api/admin/banks/preview?format=gift', {
    cookie: s.cookie, csrf: s.csrf, body: Buffer.alloc(1024 * 1024, 'a'), headers: { 'Content-Type': 'text/plain' },
  });
  assertError(under, 400, 'validation');
  await small.stop();
});

test('roles and CSRF: judges and strangers cannot upload, confirm, switch or regrade', async () => {
  const judge = await login(srv, 'giamkhao');
  const admin = await login(srv, 'quantri');
  const other = await login(srv, 'bantochuc2');
  assertError(await postRaw('/api/admin/banks/preview', asGift(), { format: 'gift' }, { cookie: undefined, csrf: undefined }), 401, 'unauthorized');
  assertError(await postRaw('/api/admin/banks/preview', asGift(), { format: 'gift' }, judge), 403, 'forbidden');
  assertError(await postRaw('/api/admin/banks/preview', asGift(), { format: 'gift' }, { cookie: org.cookie }), 403, 'forbidden', 'X-CSRF-Token');
  assertError(await srv.api('POST', '/api/admin/questions/1/regrade', { cookie: judge.cookie, csrf: judge.csrf, body: { void: true } }), 403, 'forbidden');
  assertError(await srv.api('POST', '/api/admin/contests/thi-gift/banks', { cookie: judge.cookie, csrf: judge.csrf, body: { bank_id: 'x', version: 1 } }), 403, 'forbidden');
  assertError(await srv.api('GET', '/api/admin/banks/thu-gift-raw/questions', { cookie: judge.cookie }), 403, 'forbidden');
  // another organiser cannot confirm my upload; an admin previews and confirms its own
  const mine = await postRaw('/api/admin/banks/preview', asGift(), { format: 'gift', id: 'cua-toi' });
  assertStatus(mine, 200);
  assertError(await confirm(mine.json.upload_token, other), 404, 'not_found');
  assertError(await confirm(mine.json.upload_token, judge), 403, 'forbidden');
  assertStatus(await confirm(mine.json.upload_token), 201);
  const adm = await postRaw('/api/admin/banks/preview', asGift(), { format: 'gift', id: 'cua-admin' }, admin);
  assertStatus(await confirm(adm.json.upload_token, admin), 201);
  assertError(await srv.api('POST', '/api/admin/banks/confirm', { cookie: org.cookie, csrf: org.csrf, body: { upload_token: 'x', extra: 1 } }), 400, 'validation', 'extra');
});

test('the question list searches by text (accents and case folded), category and id; export round-trips', async () => {
  const q = await srv.api('GET', '/api/admin/banks/thu-csv-form/questions?q=NGH%E1%BB%8A%20%C4%90%E1%BB%8ANH&limit=10', { cookie: org.cookie });
  assertStatus(q, 200);
  assert.equal(q.json.total, 1);
  assert.equal(q.json.questions[0].qkey, 'c3');
  assert.deepEqual(q.json.questions[0].key, [1]);
  assert.deepEqual(q.json.versions, [1]);
  const byCat = await srv.api('GET', '/api/admin/banks/thu-csv-form/questions?category=the-che', { cookie: org.cookie });
  assert.equal(byCat.json.total, 3);
  const page = await srv.api('GET', '/api/admin/banks/thu-csv-form/questions?limit=2&offset=4', { cookie: org.cookie });
  assert.deepEqual(page.json.questions.map((x) => x.qkey), ['c5', 'c6']);
  assertError(await srv.api('GET', '/api/admin/banks/khong-co/questions', { cookie: org.cookie }), 404, 'not_found');
  // digits that name no bank id: the console's list by bank row id (api_console.c)
  const byRow = await srv.api('GET', '/api/admin/banks/1/questions?limit=1', { cookie: org.cookie });
  assertStatus(byRow, 200);
  assert.ok(byRow.json.bank && byRow.json.questions.length === 1, byRow.text);
  for (const fmt of ['gift', 'aiken', 'csv', 'xml', 'native']) {
    const e = await srv.api('GET', `/api/admin/banks/thu-csv-form/export?format=${fmt}`, { cookie: org.cookie });
    assertStatus(e, 200, `export ${fmt}`);
    assert.match(e.headers.get('content-disposition'), /attachment; filename="thu-csv-form-v1\./);
    const back = await postRaw('/api/admin/banks/preview', e.text, { id: 'thu-csv-form', title: 'Thử csv' });
    assertStatus(back, 200, `re-upload of the ${fmt} export`);
    assert.equal(back.json.format, fmt);
    assert.equal(back.json.previous.unchanged, 6, `${fmt}: the same bank: ${JSON.stringify(back.json.previous)}`);
  }
});

// ---- versions, switching, regrading ----------------------------------------------------

const RQ = [
  { text: 'Câu chấm lại một?', opts: ['Một', 'Hai', 'Ba'], key: 0 },
  { text: 'Câu chấm lại hai?', opts: ['Một', 'Hai', 'Ba'], key: 1 },
  { text: 'Câu chấm lại ba?', opts: ['Một', 'Hai', 'Ba'], key: 2 },
];
const regradeGift = (keys) => RQ.map((q, i) => `::r${i + 1}::${q.text} {\n${q.opts.map((o, k) => `  ${k === keys[i] ? '=' : '~'}${o}`).join('\n')}\n}\n`).join('\n');

async function uploadGift(id, text) {
  const p = await postRaw('/api/admin/banks/preview', text, { format: 'gift', id, title: 'Chấm lại' });
  assertStatus(p, 200);
  const c = await confirm(p.json.upload_token);
  assert.ok([200, 201].includes(c.status), c.text);
  return { preview: p.json, stored: c.json };
}

async function board(round) {
  const r = await srv.api('GET', `/api/rounds/${round}/leaderboard?limit=50`);
  assertStatus(r, 200);
  return r.json.entries.map((e) => [e.name, e.score]);
}

test('versions: a contest keeps its version until switched; the switch is checked and audited', async () => {
  const v1 = await uploadGift('phien-ban', regradeGift([0, 1, 2]));
  assert.equal(v1.stored.version, 1);
  const contest = {
    format: 'cchc-contest/1', id: 'thi-phien-ban', title: 'Thi phiên bản', organiser: 'Sở Nội vụ',
    rules: 'Thử.', banks: [{ id: 'phien-ban' }], units: [{ id: 'u', name: 'Đơn vị' }],
    rounds: [{ id: 'v1', title: 'Vòng 1', opens_at: 'now-1h', closes_at: 'now+1d', blueprint: [{ category: 'chung', count: 3 }] }],
  };
  assertStatus(await srv.api('POST', '/api/admin/contests', { cookie: org.cookie, csrf: org.csrf, body: contest }), 201);
  // version 2: a corrected key for r2 (and the preview says so)
  const p2 = await postRaw('/api/admin/banks/preview', regradeGift([0, 2, 2]), { format: 'gift', id: 'phien-ban', title: 'Chấm lại' });
  assertStatus(p2, 200);
  assert.equal(p2.json.previous.version, 1);
  assert.deepEqual(p2.json.previous.key_changes.map((k) => [k.question_id, k.old_key, k.new_key]), [['r2', [1], [2]]]);
  assertStatus(await confirm(p2.json.upload_token), 201);
  let list = await banks();
  assert.deepEqual(list.filter((b) => b.bank_id === 'phien-ban').map((b) => [b.version, b.used_by]), [[1, ['thi-phien-ban']], [2, []]]);
  // version 3 has only two questions: the round's blueprint (3) cannot be drawn from it
  await uploadGift('phien-ban', RQ.slice(0, 2).map((q, i) => `::r${i + 1}::${q.text} {=${q.opts[0]} ~${q.opts[1]}}\n`).join('\n'));
  const bad = await srv.api('POST', '/api/admin/contests/thi-phien-ban/banks', { cookie: org.cookie, csrf: org.csrf, body: { bank_id: 'phien-ban', version: 3 } });
  assertError(bad, 409, 'conflict', 'version');
  const sw = await srv.api('POST', '/api/admin/contests/thi-phien-ban/banks', { cookie: org.cookie, csrf: org.csrf, body: { bank_id: 'phien-ban', version: 2 } });
  assertStatus(sw, 200);
  assert.deepEqual([sw.json.from_version, sw.json.to_version, sw.json.changed], [1, 2, true]);
  list = await banks();
  assert.deepEqual(list.filter((b) => b.bank_id === 'phien-ban').map((b) => b.used_by), [[], ['thi-phien-ban'], []]);
  const audit = await srv.api('GET', '/api/admin/audit?action=contest.bank_switch', { cookie: org.cookie });
  assertStatus(audit, 200);
  assert.ok(audit.json.entries.some((e) => e.actor === 'bantochuc' && e.detail.to_version === 2 && e.detail.from_version === 1), audit.text);
  assertError(await srv.api('POST', '/api/admin/contests/thi-phien-ban/banks', { cookie: org.cookie, csrf: org.csrf, body: { bank_id: 'thu-gift-raw', version: 1 } }), 409, 'conflict', 'bank_id');
  assertError(await srv.api('POST', '/api/admin/contests/khong-co/banks', { cookie: org.cookie, csrf: org.csrf, body: { bank_id: 'phien-ban', version: 1 } }), 404, 'not_found');
  assertError(await srv.api('POST', '/api/admin/contests/thi-phien-ban/banks', { cookie: org.cookie, csrf: org.csrf, body: { bank_id: 'phien-ban', version: 9 } }), 404, 'not_found', 'version');
});

test('regrade: dry run shows the rank moves, confirming re-scores and the leaderboard follows; audited', async () => {
  await uploadGift('cham-lai', regradeGift([0, 1, 2]));
  const contest = {
    format: 'cchc-contest/1', id: 'thi-cham-lai', title: 'Thi chấm lại', organiser: 'Sở Nội vụ',
    rules: 'Thử.', banks: [{ id: 'cham-lai' }], units: [{ id: 'u', name: 'Đơn vị' }], review: 'after_submit',
    rounds: [{ id: 'v1', title: 'Vòng 1', opens_at: 'now-1h', closes_at: 'now+1d', attempts: 1,
      shuffle_options: false, blueprint: [{ category: 'chung', count: 3 }] }],
  };
  assertStatus(await srv.api('POST', '/api/admin/contests', { cookie: org.cookie, csrf: org.csrf, body: contest }), 201);
  const round = await roundId(srv, 'thi-cham-lai', 0);
  // Bình answers as the key says (3); An picks "Hai" for the first question (2);
  // Cường picks "Hai" for the first and "Một" for the second (1)
  const people = [['Bình', [0, 1, 2]], ['An', [1, 1, 2]], ['Cường', [1, 0, 2]]];
  for (const [name, choice] of people) {
    const p = await register(srv, 'thi-cham-lai', { full_name: name, unit_id: 'u' });
    const a = await startAttempt(srv, p.token, round);
    const answers = {};
    for (const q of a.questions) {
      const i = RQ.findIndex((x) => x.text === q.text);
      answers[q.id] = choice[i];
    }
    assertStatus(await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, { token: p.token, body: { answers } }), 200);
  }
  assert.deepEqual(await board(round), [['Bình', 3], ['An', 2], ['Cường', 1]]);
  const qs = await srv.api('GET', '/api/admin/banks/cham-lai/questions', { cookie: org.cookie });
  const q1 = qs.json.questions.find((q) => q.qkey === 'r1');
  // the first question's key was wrong: "Hai" (1) is right
  const dry = await srv.api('POST', `/api/admin/questions/${q1.id}/regrade`, { cookie: org.cookie, csrf: org.csrf, body: { key: [1] } });
  assertStatus(dry, 200, 'dry run (the default)');
  assert.equal(dry.json.dry_run, true);
  assert.equal(dry.json.attempts_examined, 3);
  assert.equal(dry.json.attempts_changed, 3);
  const r = dry.json.rounds.find((x) => x.round_id === round);
  assert.deepEqual(r.moves.map((m) => [m.name, m.old_rank, m.new_rank, m.old_score, m.new_score]),
    [['An', 2, 1, 2, 3], ['Bình', 1, 2, 3, 2], ['Cường', 3, 3, 1, 2]]);
  assert.deepEqual(await board(round), [['Bình', 3], ['An', 2], ['Cường', 1]], 'a dry run changes nothing');
  const real = await srv.api('POST', `/api/admin/questions/${q1.id}/regrade`, { cookie: org.cookie, csrf: org.csrf, body: { key: 'B', dry_run: false, reason: 'Đáp án gốc sai' } });
  assertStatus(real, 200);
  assert.equal(real.json.dry_run, false);
  assert.equal(real.json.attempts_changed, 3);
  assert.deepEqual(await board(round), [['An', 3], ['Bình', 2], ['Cường', 2]]);
  const audit = await srv.api('GET', '/api/admin/audit?action=regrade', { cookie: org.cookie });
  const e = audit.json.entries.find((x) => x.detail.questions && x.detail.questions[0].question_id === q1.id);
  assert.ok(e, audit.text);
  assert.equal(e.actor, 'bantochuc');
  assert.equal(e.detail.attempts_changed, 3);
  assert.equal(e.detail.reason, 'Đáp án gốc sai');
  // the review shows the corrected key
  // voiding the third question gives everyone its point (no one moves: all +0 or +1)
  const q3 = qs.json.questions.find((q) => q.qkey === 'r3');
  const v = await srv.api('POST', `/api/admin/questions/${q3.id}/regrade`, { cookie: org.cookie, csrf: org.csrf, body: { void: true, dry_run: false } });
  assertStatus(v, 200);
  assert.equal(v.json.attempts_changed, 0, 'everyone had it right already');
  // a corrected upload: version 2 says the second question's key is "Ba"
  await uploadGift('cham-lai', regradeGift([1, 2, 2]));
  const bdry = await srv.api('POST', '/api/admin/banks/cham-lai/regrade', { cookie: org.cookie, csrf: org.csrf, body: {} });
  assertStatus(bdry, 200);
  assert.equal(bdry.json.dry_run, true);
  assert.deepEqual(bdry.json.questions.map((q) => [q.qkey, q.bank_version, q.old.key, q.new.key]), [['r2', 1, [1], [2]]]);
  const breal = await srv.api('POST', '/api/admin/banks/cham-lai/regrade', { cookie: org.cookie, csrf: org.csrf, body: { dry_run: false } });
  assertStatus(breal, 200);
  // An and Bình lose the second question's point; Cường had "Một" there: no change
  assert.deepEqual(await board(round), [['An', 2], ['Cường', 2], ['Bình', 1]]);
  // bad requests
  assertError(await srv.api('POST', `/api/admin/questions/${q1.id}/regrade`, { cookie: org.cookie, csrf: org.csrf, body: { key: [0, 1] } }), 400, 'validation', 'key');
  assertError(await srv.api('POST', `/api/admin/questions/${q1.id}/regrade`, { cookie: org.cookie, csrf: org.csrf, body: { key: 7 } }), 400, 'validation', 'key');
  assertError(await srv.api('POST', `/api/admin/questions/${q1.id}/regrade`, { cookie: org.cookie, csrf: org.csrf, body: {} }), 400, 'validation', 'key');
  assertError(await srv.api('POST', '/api/admin/questions/999999/regrade', { cookie: org.cookie, csrf: org.csrf, body: { void: true } }), 404, 'not_found');
  const info = await contestInfo(srv, 'thi-cham-lai');
  assert.equal(info.id, 'thi-cham-lai');
});
