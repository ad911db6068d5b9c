// Browser test of the plan-tracking pages: the organiser's dashboard on a PC,
// a reporter filing a progress report on a phone, the organiser's comment and
// the printable consolidated report. Starts the real server (CCHC_BIN, default
// build/cchc-quiz) with the demo (which loads plans/ke-hoach-52-2017.json),
// drives /usr/bin/chromium through playwright-core and saves screenshots into
// tests/browser/artifacts/plan-*.png.
//
//   node --test tests/browser/plan.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const artifacts = path.join(here, 'artifacts');
const bin = path.resolve(repo, process.env.CCHC_BIN || 'build/cchc-quiz');
const PASSWORD = 'mat-khau-rat-dai-123';
const REPORT_TEXT = 'Phát sóng 8 số chuyên mục "Cải cách hành chính" trên kênh NTV';

let base = null;
let server = null;
let serverLog = '';
let tmpDir = null;
let browser = null;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function cli(args) {
  const r = spawnSync(bin, args, { env: { ...process.env, CCHC_PASSWORD: PASSWORD }, encoding: 'utf8' });
  assert.equal(r.status, 0, `cchc-quiz ${args.join(' ')}: ${r.stdout}${r.stderr}`);
}

before(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  assert.ok(fs.existsSync(bin), 'server binary not found: ' + bin + ' (build it or set CCHC_BIN)');
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-plan-browser-'));
  const db = path.join(tmpDir, 'test.db');
  cli(['user', 'add', '--db', db, '--role', 'organiser', 'sonoivu']);
  cli(['user', 'add', '--db', db, '--role', 'reporter', '--agency', 'dai-ptth', 'bc-ptth']);
  const port = await freePort();
  server = spawn(bin, ['serve', '--port', String(port), '--db', db, '--demo', '--web', path.join(repo, 'web'),
    '--access-log', 'off', '--no-rate-limit'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (d) => { serverLog = (serverLog + d.toString()).slice(-20000); };
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  base = 'http://127.0.0.1:' + port;
  const end = Date.now() + 30000;
  for (;;) {
    try {
      if ((await fetch(base + '/healthz')).ok) break;
    } catch { /* not yet */ }
    if (Date.now() > end || server.exitCode !== null) throw new Error('server did not start:\n' + serverLog);
    await sleep(100);
  }
  // two participants of the radio and TV station, so the contest figures are not all zero
  for (const phone of ['0912000111', '0912000222']) {
    const r = await fetch(base + '/api/contests/demo-cchc/participants', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ full_name: 'Phóng Viên Thử', unit_id: 'dai-ptth', phone, track: 'cbccvc', consent: true }),
    });
    assert.equal(r.status, 201);
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (server && server.exitCode === null && server.signalCode === null) {
    const gone = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    const t = setTimeout(() => server.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(t);
  }
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

async function newPage(phone) {
  const context = await browser.newContext(phone
    ? { viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'vi-VN', timezoneId: 'UTC' }
    : { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, locale: 'vi-VN', timezoneId: 'UTC' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 40[13]/.test(m.text())) errors.push(m.text()); });
  return { context, page, errors };
}

async function shot(page, name, fullPage = true) {
  await page.screenshot({ path: path.join(artifacts, name), fullPage });
}

async function assertNoHorizontalScroll(page, where) {
  const { sw, cw } = await page.evaluate(() => ({
    sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth,
  }));
  assert.ok(sw <= cw, where + ': page is ' + sw + ' px wide in a ' + cw + ' px viewport');
}

async function loginVia(page, username) {
  await page.waitForSelector('#login-form', { state: 'visible' });
  await page.fill('#l-user', username);
  await page.fill('#l-pass', PASSWORD);
  await page.click('#login-form button[type="submit"]');
}

test('the organiser logs in and sees the dashboard: tasks by status and agency, overdue first', { timeout: 120000 }, async () => {
  const { context, page, errors } = await newPage(false);
  try {
    await page.goto(base + '/plan.html');
    await page.waitForSelector('#login-link');
    await page.click('#login-link');
    await page.waitForURL(/staff\.html\?next=/);
    await loginVia(page, 'sonoivu');
    await page.waitForURL(/\/plan\.html/);
    await page.waitForSelector('#dash', { state: 'visible' });
    assert.equal(await page.getAttribute('html', 'lang'), 'vi');
    assert.match(await page.textContent('h1'), /Kế hoạch 52\/KH-UBND/);
    assert.match(await page.textContent('#plan-line'), /ngày 06\/02\/2017 của Ủy ban nhân dân tỉnh Nghệ An/);
    // today, every task of 2017 that has no report is overdue
    const overdue = Number((await page.textContent('#tile-overdue .n')).replace(/\D/g, ''));
    assert.ok(overdue > 0, 'overdue tasks counted');
    const first = page.locator('#tasks tbody tr').first();
    assert.match(await first.innerText(), /quá hạn/i);
    // one row per task as written (13), one status chip per agency (60 in all)
    assert.equal(await page.locator('#tasks tbody tr').count(), 13);
    assert.equal(await page.locator('#tasks [data-task]').count(), 60);
    await page.locator('#tasks tr[data-source="v1-ke-hoach-don-vi"] summary').click();
    assert.equal(await page.locator('#tasks tr[data-source="v1-ke-hoach-don-vi"] li.chip').count(), 42);
    const agencies = await page.innerText('#agencies');
    for (const name of ['Sở Nội vụ', 'Sở Thông tin và Truyền thông', 'Đài Phát thanh - Truyền hình tỉnh', 'Báo Nghệ An',
      'Cổng thông tin điện tử tỉnh', 'UBND huyện Kỳ Sơn', 'Sở, ban, ngành cấp tỉnh', 'UBND các huyện, thành phố, thị xã']) {
      assert.ok(agencies.includes(name), name);
    }
    // the linked contest's live figures
    const ptth = page.locator('table.contest-figures tr[data-agency="dai-ptth"]');
    assert.match(await ptth.innerText(), /Đài Phát thanh - Truyền hình tỉnh\s+150\s+2\s/);
    await page.waitForSelector('#coverage-table tbody tr');
    assert.ok(await page.locator('#coverage-table tbody tr').count() >= 20, 'coverage of every content item');
    assert.ok(await page.locator('#chart .col').count() >= 10, 'one column per month of 2017');
    await shot(page, 'plan-01-dashboard.png');

    // as of 15/03/2017 nothing is overdue yet (the first due date is 31/03)
    await page.fill('#as-of', '2017-03-15');
    await page.dispatchEvent('#as-of', 'change');
    await page.waitForFunction(() => document.querySelector('#tile-overdue .n').textContent.trim() === '0');
    assert.equal((await page.textContent('#chart')).includes('03/17'), true);
    // filters
    await page.selectOption('#f-kind', 'media');
    assert.equal(await page.locator('#tasks tbody tr').count(), 3);
    assert.equal(await page.locator('#tasks [data-task]').count(), 9);
    await shot(page, 'plan-02-dashboard-march-media.png', false);
    assert.deepEqual(errors, [], 'no JavaScript errors');
  } finally {
    await context.close();
  }
});

test('a reporter files a progress report for its own agency on a phone', { timeout: 120000 }, async () => {
  const { context, page, errors } = await newPage(true);
  try {
    await page.goto(base + '/staff.html?next=plan-agency.html');
    await loginVia(page, 'bc-ptth');
    await page.waitForURL(/\/plan-agency\.html/);
    await page.waitForSelector('#page', { state: 'visible' });
    assert.equal((await page.textContent('h1')).trim(), 'Đài Phát thanh - Truyền hình tỉnh');
    assert.equal(await page.locator('#tasks article.task-card').count(), 3);
    assert.match(await page.innerText('#contest'), /Người dự thi:\s*2\s*\/\s*150 biên chế/);
    await assertNoHorizontalScroll(page, 'agency page');
    await shot(page, 'plan-03-reporter-agency.png');

    await page.click('#new-report');
    await page.waitForURL(/\/plan-report\.html/);
    await page.waitForSelector('#report-form', { state: 'visible' });
    assert.equal(await page.locator('#r-task option').count(), 3);
    // the text is required
    await page.click('#submit');
    await page.waitForSelector('#r-text[aria-invalid="true"]');
    await page.selectOption('#r-task', { index: 0 });
    await page.fill('#r-date', '2017-04-20');
    await page.fill('#r-text', REPORT_TEXT);
    await page.fill('#f-minutes', '240');
    await page.fill('#f-articles', '8');
    await page.fill('#r-evidence', 'https://truyenhinhnghean.vn/cai-cach-hanh-chinh');
    await assertNoHorizontalScroll(page, 'report form');
    await shot(page, 'plan-04-report-form.png');
    await page.click('#submit');
    await page.waitForFunction(() => /Đã gửi báo cáo/.test(document.querySelector('#form-msg').textContent));
    assert.equal(await page.inputValue('#r-text'), '', 'the form is ready for the next report');
    await shot(page, 'plan-05-report-sent.png', false);

    // another agency's page is refused
    await page.goto(base + '/plan-agency.html?agency=bao-nghe-an');
    await page.waitForSelector('#msg.error');
    assert.match(await page.textContent('#msg'), /chỉ được xem và báo cáo cho cơ quan, đơn vị của mình/);

    // the report is on the agency's page
    await page.goto(base + '/plan-agency.html');
    await page.waitForSelector('#page', { state: 'visible' });
    const reports = await page.innerText('#reports');
    assert.ok(reports.includes(REPORT_TEXT));
    assert.match(reports, /Ngày 20\/04\/2017/);
    assert.match(reports, /Thời lượng phát sóng \(phút\): 240/);
    assert.equal(await page.locator('#reports .comment-form').count(), 0, 'a reporter cannot comment');
    await shot(page, 'plan-06-reporter-after.png');
    assert.deepEqual(errors, [], 'no JavaScript errors');
  } finally {
    await context.close();
  }
});

test('the organiser comments on the report and prints the consolidated report for the quarter', { timeout: 120000 }, async () => {
  const { context, page, errors } = await newPage(false);
  try {
    await page.goto(base + '/staff.html?next=' + encodeURIComponent('plan-agency.html?agency=dai-ptth'));
    await loginVia(page, 'sonoivu');
    await page.waitForURL(/\/plan-agency\.html\?agency=dai-ptth/);
    await page.waitForSelector('#page', { state: 'visible' });
    const report = page.locator('#reports .report').first();
    await report.locator('textarea').fill('Đề nghị gửi kèm lịch phát sóng quý III.');
    await report.locator('button[type="submit"]').click();
    await page.waitForFunction(() => /lịch phát sóng quý III/.test(document.querySelector('#reports .comment')?.textContent || ''));

    await page.goto(base + '/plan-summary.html?period=2017-Q2');
    await page.waitForSelector('#doc', { state: 'visible' });
    await page.waitForSelector('#by-agency tbody tr[data-agency="dai-ptth"]');
    const row = await page.innerText('#by-agency tbody tr[data-agency="dai-ptth"]');
    assert.match(row, /Đài Phát thanh - Truyền hình tỉnh/);
    assert.match(row, /\b240\b/);
    assert.match(await page.textContent('#doc-sub'), /Quý II năm 2017 \(từ 01\/04\/2017 đến 30\/06\/2017\)/);
    assert.match(await page.getAttribute('#xlsx', 'href'), /summary\.xlsx\?period=2017-Q2$/);
    // overdue tasks: one row per task as written, naming the agencies late on it
    const late = page.locator('#overdue-table tbody tr');
    assert.ok(await late.count() >= 1 && await late.count() <= 13);
    assert.match(await page.innerText('#overdue-table tr[data-source="v1-ke-hoach-don-vi"]'), /42 cơ quan, đơn vị: Sở Nội vụ, Sở Tư pháp/);
    await shot(page, 'plan-07-summary.png');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isVisible('#period-form'), false, 'controls are not printed');
    await page.setViewportSize({ width: 1123, height: 794 }); // A4 landscape at 96 dpi
    await shot(page, 'plan-08-summary-print.png');
    // printed with the page's own @page rule: A4 landscape (842 × 595 pt)
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
    const box = /MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'));
    assert.ok(box, 'a page size in the PDF');
    assert.equal(Math.round(Number(box[1])), 842);
    assert.equal(Math.round(Number(box[2])), 595);
    assert.deepEqual(errors, [], 'no JavaScript errors');
  } finally {
    await context.close();
  }
});
