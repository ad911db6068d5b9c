// Browser test of the organiser's question-bank page (web/bank-upload.html) on a desktop
// viewport: log in on staff.html, drop a broken file (the report lists its errors by
// line, there is nothing to confirm), pick a GIFT file with the file picker, read the
// report, confirm, find the bank in the list, search its questions and preview a key
// correction. Screenshots go to tests/browser/artifacts/.
//
//   node --test tests/browser/bank-upload.test.mjs
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
const USER = 'bantochuc';
const PASSWORD = 'mat-khau-rat-dai-123';

const GIFT = `// Ngân hàng thử tải lên qua trình duyệt
$CATEGORY: $course$/top/Thủ tục hành chính

::tl-001::Cơ chế một cửa được thực hiện tại đâu? {
  =Bộ phận Tiếp nhận và Trả kết quả
  ~Phòng họp của cơ quan
  ~Nhà văn hóa thôn
  ####Giải thích: hồ sơ được tiếp nhận và trả kết quả tại một đầu mối.
}

::tl-002::Người dân có thể nộp hồ sơ trực tuyến qua kênh nào? {
  =Cổng Dịch vụ công
  ~Thư tay gửi lãnh đạo
}

$CATEGORY: $course$/top/Cải cách thể chế

::tl-003::Chọn các chỉ số đánh giá cải cách hành chính {
  ~%50%PAR INDEX
  ~%50%SIPAS
  ~%-100%GDP
}

Nghị quyết 30c/NQ-CP được ban hành năm 2011. {T}

Câu tự luận không được hỗ trợ {}
`;

const BROKEN = `Câu một {=A ~B}

Không có đáp án đúng {~A ~B}

Chưa đóng ngoặc {=A ~B
`;

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

before(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  const bin = path.resolve(repo, process.env.CCHC_BIN || 'build/cchc-quiz');
  assert.ok(fs.existsSync(bin), 'server binary not found: ' + bin);
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-browser-bank-'));
  const db = path.join(tmpDir, 'test.db');
  const u = spawnSync(bin, ['user', 'add', '--db', db, '--role', 'organiser', USER], {
    env: { ...process.env, CCHC_PASSWORD: PASSWORD }, encoding: 'utf8',
  });
  assert.equal(u.status, 0, u.stderr);
  fs.writeFileSync(path.join(tmpDir, 'ngan-hang-thu.gift'), GIFT);
  fs.writeFileSync(path.join(tmpDir, 'loi.gift'), BROKEN);
  const port = await freePort();
  server = spawn(bin, ['serve', '--port', String(port), '--db', db, '--demo', '--web', path.join(repo, 'web'),
    '--access-log', 'off'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (d) => { serverLog = (serverLog + d.toString()).slice(-20000); };
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  base = 'http://127.0.0.1:' + port;
  const end = Date.now() + 20000;
  for (;;) {
    try {
      if ((await fetch(base + '/healthz')).ok) break;
    } catch { /* not yet */ }
    if (Date.now() > end) throw new Error('server did not start:\n' + serverLog);
    await sleep(100);
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

test('organiser uploads a GIFT bank: report, confirm, list, search, key-correction preview', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  // not logged in: the page says so
  await page.goto(base + '/bank-upload.html');
  await page.waitForSelector('#need-login:not(.hidden)');

  // log in on the staff page, then come back
  await page.goto(base + '/staff.html');
  await page.fill('#l-user', USER);
  await page.fill('#l-pass', PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#who:not(.hidden)');
  await page.goto(base + '/bank-upload.html');
  await page.waitForSelector('#upload:not(.hidden)');

  // a broken file, dropped on the drop zone: errors by line, nothing to confirm
  const broken = fs.readFileSync(path.join(tmpDir, 'loi.gift'), 'utf8');
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'loi.gift', { type: 'text/plain' }));
    const drop = document.querySelector('#drop');
    drop.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    drop.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, broken);
  await page.waitForSelector('#file-name:not(.hidden)');
  assert.match(await page.textContent('#file-name'), /loi\.gift/);
  await page.click('#check');
  await page.waitForSelector('#report:not(.hidden) #problems-table');
  const rows = await page.$$eval('#problems-table tbody tr', (trs) => trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)));
  assert.ok(rows.some((r) => r[0] === '3' && r[2] === 'Lỗi' && /chưa có đáp án đúng/.test(r[3])), JSON.stringify(rows));
  assert.ok(rows.some((r) => r[0] === '5' && r[2] === 'Lỗi' && /không được đóng/.test(r[3])), JSON.stringify(rows));
  assert.ok(await page.isHidden('#confirm'), 'nothing to confirm with errors');
  await page.screenshot({ path: path.join(artifacts, 'bank-upload-errors.png'), fullPage: true });

  // the good file through the file picker
  await page.click('#again');
  await page.setInputFiles('#file', path.join(tmpDir, 'ngan-hang-thu.gift'));
  await page.fill('#bank-title', 'Ngân hàng thử qua trình duyệt');
  await page.click('#check');
  await page.waitForSelector('#report:not(.hidden) #report-count');
  assert.equal(await page.textContent('#report-format'), 'GIFT');
  assert.equal(await page.textContent('#report-count'), '4');
  assert.equal(await page.textContent('#report-bank-id'), 'ngan-hang-thu');
  const status = await page.textContent('#report-status');
  assert.match(status, /0 lỗi/);
  assert.match(status, /Chưa có gì được lưu/);
  const warnings = await page.$$eval('#problems-table tbody tr', (trs) => trs.map((tr) => tr.textContent));
  assert.ok(warnings.some((w) => /kiểu "essay" không được hỗ trợ, đã bỏ qua/.test(w)), 'the skipped essay question is listed');
  assert.ok(await page.isVisible('#confirm'));
  await page.screenshot({ path: path.join(artifacts, 'bank-upload-report.png'), fullPage: true });

  // nothing stored yet
  const before = await page.$$eval('#banks-body tbody tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
  assert.ok(!before.includes('ngan-hang-thu'));

  await page.click('#confirm');
  await page.waitForSelector('#done:not(.hidden) #done-message');
  assert.match(await page.textContent('#done-message'), /Đã nhập ngân hàng ngan-hang-thu, phiên bản 1, gồm 4 câu hỏi/);
  await page.waitForFunction(() => Array.from(document.querySelectorAll('#banks-body tbody tr'))
    .some((tr) => tr.cells[0].textContent === 'ngan-hang-thu'));
  await page.screenshot({ path: path.join(artifacts, 'bank-upload-done.png'), fullPage: true });

  // the version switch offers the contests and the bank's versions
  await page.selectOption('#switch-bank', 'ngan-hang-thu');
  assert.deepEqual(await page.$$eval('#switch-version option', (os) => os.map((o) => o.value)), ['1']);
  assert.ok((await page.$$eval('#switch-contest option', (os) => os.map((o) => o.value))).includes('demo-cchc'));
  await page.selectOption('#switch-contest', 'demo-cchc');
  await page.click('#switch-form button[type=submit]');
  await page.waitForSelector('#switch-msg:not(.hidden)');
  assert.match(await page.textContent('#switch-msg'), /không dùng ngân hàng/);

  // search the new bank's questions and preview a key correction
  await page.selectOption('#browse-bank', 'ngan-hang-thu');
  await page.fill('#browse-q', 'MỘT CỬA');
  // the list shown before the search is still there until the search answers: wait for it
  await Promise.all([
    page.waitForResponse((res) => res.url().includes('/questions?') && res.url().includes('q=')),
    page.click('#browse-form button[type=submit]'),
  ]);
  await page.waitForFunction(() => document.querySelectorAll('#browse-body .q-row').length === 1);
  const found = await page.$$eval('#browse-body .q-row', (lis) => lis.map((li) => li.querySelector('strong').textContent));
  assert.deepEqual(found, ['tl-001']);
  await page.click('#browse-body .q-row button.link');
  await page.check('#browse-body .regrade-box input[type=radio][value="1"]');
  await page.click('#browse-body .regrade-box button.secondary');
  await page.waitForFunction(() => /Xem trước: 0 bài thi/.test(document.querySelector('#browse-body .regrade-box').textContent));
  await page.screenshot({ path: path.join(artifacts, 'bank-upload-regrade.png'), fullPage: true });

  assert.deepEqual(errors, [], 'no script errors');
  await context.close();
});
