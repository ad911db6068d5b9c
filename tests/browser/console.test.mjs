// Browser tests of the organiser's and the judges' consoles on a 1366×900
// desktop: an organiser creates a contest with a round (blueprint checked
// against the bank's counts); a judge watches a live board change when a
// participant submits; the judges propose prizes (a tie broken by the
// prediction), confirm them and publish; the printable list; an Excel
// export downloaded and read back. Screenshots go to tests/browser/artifacts/.
//
//   node --test tests/browser/console.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { readXlsx } from '../http/xlsx.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const artifacts = path.join(here, 'artifacts');
const bin = path.resolve(repo, process.env.CCHC_BIN || 'build/cchc-quiz');
const PASSWORD = 'mat-khau-rat-dai-123';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let base, server, tmpDir, browser, serverLog = '';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

function cli(args, env = {}) {
  const r = spawnSync(bin, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(r.status, 0, `cchc-quiz ${args.join(' ')}: ${r.stdout}${r.stderr}`);
}

async function api(method, p, { body, token, cookie, csrf } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = 'Bearer ' + token;
  if (cookie) headers.Cookie = 'cchc_session=' + cookie;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const r = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null, headers: r.headers };
}

async function staffLogin(username) {
  const r = await fetch(base + '/api/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  const j = await r.json();
  return { cookie: /cchc_session=([0-9a-f]+)/.exec(r.headers.get('set-cookie'))[1], csrf: j.csrf_token };
}

before(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  assert.ok(fs.existsSync(bin), 'server binary not found: ' + bin);
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-console-'));
  const db = path.join(tmpDir, 'test.db');
  for (const [u, role] of [['bantochuc', 'organiser'], ['giamkhao', 'judge']]) {
    cli(['user', 'add', '--db', db, '--role', role, u], { CCHC_PASSWORD: PASSWORD });
  }
  const port = await freePort();
  server = spawn(bin, ['serve', '--port', String(port), '--db', db, '--demo', '--web', path.join(repo, 'web'),
    '--access-log', 'off', '--no-rate-limit'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (d) => { serverLog = (serverLog + d.toString()).slice(-20000); };
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  base = 'http://127.0.0.1:' + port;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(base + '/healthz')).ok) break; } catch { /* not yet */ }
    await sleep(100);
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (server && server.exitCode === null) {
    const gone = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    const t = setTimeout(() => server.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  }
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

async function desktop(username) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN', timezoneId: 'UTC', acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text()); });
  await page.goto(base + '/staff.html');
  await page.fill('#l-user', username);
  await page.fill('#l-pass', PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#who:not(.hidden)');
  return { context, page, errors };
}

const shot = (page, name) => page.screenshot({ path: path.join(artifacts, name), fullPage: true });

/** Registers a participant of contest and submits one attempt of round (all right or all wrong). */
async function participantSubmits(contest, round, name, { right = true, prediction } = {}) {
  const phone = '09' + String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
  const info = (await api('GET', '/api/contests/' + contest)).json;
  const reg = await api('POST', `/api/contests/${contest}/participants`, {
    body: { full_name: name, unit_id: info.units[0].id, phone, track: 'cbccvc', consent: true },
  });
  assert.equal(reg.status, 201, JSON.stringify(reg.json));
  const a = await api('POST', `/api/rounds/${round}/attempts`, { token: reg.json.token, body: {} });
  assert.equal(a.status, 201, JSON.stringify(a.json));
  const bank = JSON.parse(fs.readFileSync(path.join(repo, 'question-banks', 'cchc-nghe-an.json'), 'utf8'));
  const byText = new Map(bank.questions.map((q) => [q.text.normalize('NFC'), q]));
  const answers = {};
  for (const q of a.json.questions) {
    const b = byText.get(q.text.normalize('NFC'));
    const keyIdx = new Set(Array.isArray(b.correct) ? b.correct : [b.correct]);
    const disp = q.options.map((o) => b.options.map((x) => x.normalize('NFC')).indexOf(o.normalize('NFC')));
    const good = disp.map((orig, i) => (keyIdx.has(orig) ? i : -1)).filter((i) => i >= 0);
    const bad = disp.findIndex((orig) => !keyIdx.has(orig));
    answers[String(q.id)] = right ? (q.multi ? good : good[0]) : (q.multi ? [bad] : bad);
  }
  const body = { answers };
  if (prediction !== undefined) body.prediction = prediction;
  const s = await api('POST', `/api/attempts/${a.json.attempt_id}/submit`, { token: reg.json.token, body });
  assert.equal(s.status, 200, JSON.stringify(s.json));
  return { name, phone };
}

test('an organiser creates a contest with a round; the blueprint is checked against the bank', { timeout: 120000 }, async () => {
  const { context, page, errors } = await desktop('bantochuc');
  try {
    await page.click('#organiser-link');
    await page.waitForURL(/organiser\.html/);
    await page.waitForSelector('#contest-pick option', { state: 'attached' });
    await page.click('#contest-new');
    await page.fill('#c-id', 'thu-nghiem-2026');
    await page.fill('#c-title', 'Cuộc thi tìm hiểu cải cách hành chính năm 2026 (thử nghiệm)');
    await page.fill('#c-organiser', 'Sở Nội vụ tỉnh Nghệ An');
    await page.fill('#c-rules', 'Thể lệ thử nghiệm.\n\nMỗi người thi một lượt.');
    await page.check('#c-banks input[value="cchc-nghe-an"]');
    await page.fill('#u-csv', 'mã,tên đơn vị,khối,biên chế\nso-noi-vu,Sở Nội vụ,"Sở, ban, ngành",85\nso-tu-phap,Sở Tư pháp,"Sở, ban, ngành",60\n,UBND huyện Diễn Châu,UBND cấp huyện,250');
    await page.waitForFunction(() => /3 đơn vị, 2 khối/.test(document.querySelector('#u-count')?.textContent || ''));
    const card = page.locator('.round-card').first();
    await card.locator('[name=title]').fill('Tuần thi thứ nhất');
    await card.locator('[name=opens_at]').fill('2030-03-01T08:00');
    await card.locator('[name=closes_at]').fill('2030-03-08T17:00');
    await card.locator('[name=freeze_at]').fill('2030-03-08T12:00');
    await card.locator('[name=minutes]').fill('20');
    // a blueprint line asking for more questions than the bank has: flagged
    await card.locator('button', { hasText: 'Thêm dòng' }).click();
    const row = card.locator('table.blueprint tbody tr').first();
    await page.waitForFunction(() => document.querySelectorAll('.bp-cat option').length > 2);
    await row.locator('.bp-cat').selectOption('the-che');
    await row.locator('.bp-count').fill('150');
    await row.locator('.bp-count').dispatchEvent('change');
    await page.waitForSelector('.avail.short');
    assert.match(await row.locator('.avail').innerText(), /không đủ câu/);
    await page.click('#contest-save');
    await page.waitForSelector('#save-msg.error');
    assert.match(await page.innerText('#save-msg'), /nhiều câu hơn/);
    await row.locator('.bp-count').fill('3');
    await row.locator('.bp-count').dispatchEvent('change');
    await card.locator('button', { hasText: 'Thêm dòng' }).click();
    const row2 = card.locator('table.blueprint tbody tr').nth(1);
    await row2.locator('.bp-cat').selectOption('tthc');
    await row2.locator('.bp-diff').selectOption('easy');
    await row2.locator('.bp-count').fill('1');
    await row2.locator('.bp-count').dispatchEvent('change');
    assert.equal(await page.locator('.avail.short').count(), 0);
    assert.match(await card.locator('.bp-total').innerText(), /Tổng: 4 câu/);
    await shot(page, 'console-01-organiser-contest.png');
    await page.click('#contest-save');
    await page.waitForSelector('#save-msg.ok', { timeout: 15000 });
    const c = (await api('GET', '/api/contests/thu-nghiem-2026')).json;
    assert.equal(c.title, 'Cuộc thi tìm hiểu cải cách hành chính năm 2026 (thử nghiệm)');
    assert.equal(c.units.length, 3);
    assert.equal(c.rounds.length, 1);
    assert.equal(c.rounds[0].question_count, 4);
    assert.equal(c.rounds[0].duration_seconds, 1200);
    assert.equal(c.rounds[0].opens_at, '2030-03-01T01:00:00.000Z', 'times entered in Vietnam time');
    // the definition opens again in the editor, with its freeze time
    await page.reload();
    await page.selectOption('#contest-pick', 'thu-nghiem-2026');
    await page.waitForFunction(() => document.querySelector('#c-id').value === 'thu-nghiem-2026');
    assert.equal(await page.locator('.round-card [name=freeze_at]').inputValue(), '2030-03-08T12:00');
    // the people tab finds nobody yet; the audit log shows the change
    await page.click('button[data-tab=audit]');
    await page.waitForSelector('#audit-box table');
    assert.match(await page.innerText('#audit-box'), /Tạo\/sửa cuộc thi/);
    await shot(page, 'console-02-organiser-audit.png');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a judge watches the live board change when a participant submits', { timeout: 120000 }, async () => {
  const round = (await api('GET', '/api/contests/demo-cchc')).json.rounds[0].id;
  const { context, page, errors } = await desktop('giamkhao');
  try {
    await page.goto(base + '/judge.html?contest=demo-cchc&round=' + round);
    await page.waitForSelector('#live-dot.on', { timeout: 15000 });
    const t0 = Date.now();
    await participantSubmits('demo-cchc', round, 'Phạm Thị Trực Tuyến');
    await page.waitForFunction(() => /Phạm Thị Trực Tuyến/.test(document.querySelector('#board').innerText), null, { timeout: 5000 });
    const ms = Date.now() - t0;
    assert.ok(ms < 3000, `the board changed ${ms} ms after the submit`);
    await shot(page, 'console-03-judge-live-board.png');
    await page.click('button[data-tab=units]');
    await page.waitForSelector('#unit-table');
    await page.click('#unit-table button[data-sort=participation_rate]');
    await page.waitForSelector('#unit-table button[data-sort=participation_rate][aria-sort=descending]');
    assert.ok(await page.locator('#unit-table tr.block-row').count() >= 2, 'grouped by block');
    await shot(page, 'console-04-judge-units.png');
    await page.click('button[data-tab=stats]');
    await page.waitForSelector('#stats table.stats');
    assert.ok(await page.locator('#stats .bars').count() >= 1, 'option bars');
    await shot(page, 'console-04b-judge-stats.png');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the judges propose prizes (a tie broken by the prediction), confirm, publish and print', { timeout: 180000 }, async () => {
  // a round that closes in a few seconds, settled by the server's tick
  const org = await staffLogin('bantochuc');
  const doc = JSON.parse(fs.readFileSync(path.join(repo, 'tests', 'http', 'fixtures', 'settle.json'), 'utf8'));
  const now = (await api('GET', '/healthz')).json.server_time_ms;
  doc.rounds[0].opens_at = new Date(now - 3600_000).toISOString();
  doc.rounds[0].closes_at = new Date(now + 6000).toISOString();
  assert.equal((await api('POST', '/api/admin/contests', { body: doc, cookie: org.cookie, csrf: org.csrf })).status, 201);
  const round = (await api('GET', '/api/contests/settle-cchc')).json.rounds[0].id;
  await participantSubmits('settle-cchc', round, 'Ngô Văn Đoán Xa', { prediction: 40 });
  await participantSubmits('settle-cchc', round, 'Ngô Thị Đoán Trúng', { prediction: 2 });
  await participantSubmits('settle-cchc', round, 'Ngô Văn Chưa Đúng', { right: false, prediction: 2 });
  for (;;) {
    const b = (await api('GET', `/api/rounds/${round}/leaderboard`)).json;
    if (!b.provisional) break;
    await sleep(300);
  }
  const { context, page, errors } = await desktop('giamkhao');
  try {
    await page.goto(base + `/judge.html?contest=settle-cchc&round=${round}&tab=prizes`);
    await page.waitForSelector('#prize-config table', { state: 'attached' });
    await page.click('#propose-round');
    await page.waitForSelector('.prize-list');
    const text = await page.innerText('.prize-list');
    assert.match(text, /Ngô Thị Đoán Trúng/);
    assert.match(text, /phân định bằng câu hỏi dự đoán/);
    const order = await page.$$eval('.prize-list tbody tr', (trs) => trs.map((tr) => tr.children[2].textContent));
    assert.deepEqual(order.slice(0, 2), ['Ngô Thị Đoán Trúng', 'Ngô Văn Đoán Xa']);
    await shot(page, 'console-05-judge-prizes-proposed.png');
    // publishing waits until every entry is reviewed
    assert.equal(await page.locator('button[data-publish]').isDisabled(), true);
    const n = await page.locator('button[data-confirm]').count();
    for (let i = 0; i < n; i++) {
      await page.locator('button[data-confirm]').first().click();
      await page.waitForFunction((left) => document.querySelectorAll('button[data-confirm]').length === left, n - i - 1);
    }
    await page.click('button[data-publish]');
    await page.waitForSelector('.prize-list .badge.official');
    const pub = (await api('GET', `/api/rounds/${round}/leaderboard`)).json;
    assert.equal(pub.official, true);
    await shot(page, 'console-06-judge-prizes-published.png');
    const listId = await page.$eval('.prize-list', (d) => d.id.replace('list-', ''));
    const printPage = await context.newPage();
    await printPage.goto(base + '/print.html?list=' + listId);
    await printPage.waitForSelector('.doc-head');
    const sheet = await printPage.innerText('#sheet');
    assert.match(sheet, /CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/i);
    assert.match(sheet, /Độc lập - Tự do - Hạnh phúc/);
    assert.match(sheet, /Ngô Thị Đoán Trúng/);
    assert.doesNotMatch(sheet, /DỰ THẢO/);
    await printPage.emulateMedia({ media: 'print' });
    await shot(printPage, 'console-07-print-a4.png');
    const pdf = path.join(artifacts, 'console-07-print-a4.pdf');
    await printPage.pdf({ path: pdf, format: 'A4', printBackground: true });
    assert.ok(fs.statSync(pdf).size > 1000);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a judge downloads the Excel export; it opens with the expected rows and no phone numbers', { timeout: 120000 }, async () => {
  const round = (await api('GET', '/api/contests/demo-cchc')).json.rounds[0].id;
  const { context, page, errors } = await desktop('giamkhao');
  try {
    await page.goto(base + `/judge.html?contest=demo-cchc&round=${round}&tab=exports`);
    await page.waitForSelector('a[data-export="results.xlsx"]');
    await shot(page, 'console-08-judge-exports.png');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[data-export="results.xlsx"]')]);
    const file = path.join(tmpDir, 'export.xlsx');
    await download.saveAs(file);
    assert.match(download.suggestedFilename(), /^ket-qua-demo-cchc-vong-\d+\.xlsx$/);
    const wb = readXlsx(fs.readFileSync(file));
    assert.equal(wb.sheets[0].name, 'Kết quả');
    const h = wb.sheets[0].rows.findIndex((r) => r.includes('Họ và tên'));
    const head = wb.sheets[0].rows[h];
    assert.ok(!head.includes('Số điện thoại') && !head.includes('Số CCCD'));
    const names = wb.sheets[0].rows.slice(h + 1).map((r) => r[head.indexOf('Họ và tên')]);
    assert.ok(names.includes('Phạm Thị Trực Tuyến'), names.join(', '));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an organiser downloads every certificate of a round as one PDF; a judge is not offered it', { timeout: 120000 }, async () => {
  const round = (await api('GET', '/api/contests/demo-cchc')).json.rounds[0].id;
  const judge = await desktop('giamkhao');
  try {
    await judge.page.goto(base + `/judge.html?contest=demo-cchc&round=${round}&tab=exports`);
    await judge.page.waitForSelector('a[data-export="results.xlsx"]');
    assert.equal(await judge.page.locator('a[data-export="certificates.pdf"]').count(), 0);
  } finally {
    await judge.context.close();
  }
  const { context, page, errors } = await desktop('bantochuc');
  try {
    await page.goto(base + `/judge.html?contest=demo-cchc&round=${round}&tab=exports`);
    await page.waitForSelector('a[data-export="certificates.pdf"]');
    await shot(page, 'console-08b-organiser-certificates.png');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[data-export="certificates.pdf"]')]);
    const file = path.join(tmpDir, 'certificates.pdf');
    await download.saveAs(file);
    const head = fs.readFileSync(file).subarray(0, 5).toString('latin1');
    assert.equal(head, '%PDF-');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an organiser answers a complaint: finds the participant, reopens the attempt with a reason', { timeout: 120000 }, async () => {
  const { context, page, errors } = await desktop('bantochuc');
  try {
    await page.goto(base + '/organiser.html?tab=people');
    await page.waitForSelector('#p-contest option', { state: 'attached' });
    await page.selectOption('#p-contest', 'demo-cchc');
    await page.fill('#p-q', 'trực tuyến');
    await page.click('#p-form button[type=submit]');
    await page.waitForSelector('#p-list table');
    await page.click('#p-list button:has-text("Xem")');
    await page.waitForSelector('#person');
    assert.match(await page.innerText('#person'), /Phạm Thị Trực Tuyến/);
    await page.click('#person button:has-text("Mở lại")');
    await page.waitForSelector('dialog.console-dialog[open]');
    await page.fill('#dlg-minutes', '20');
    await page.fill('#dlg-reason', 'Mất kết nối khi nộp bài (đơn khiếu nại số 12)');
    await page.click('dialog.console-dialog button[value=ok]');
    await page.waitForSelector('#person-msg.ok');
    assert.match(await page.innerText('#person'), /Đang làm bài/);
    await shot(page, 'console-09-organiser-complaint.png');
    await page.click('button[data-tab=audit]');
    await page.waitForSelector('#audit-box table');
    assert.match(await page.innerText('#audit-box'), /Mở lại bài thi/);
    assert.match(await page.innerText('#audit-box'), /đơn khiếu nại số 12/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
