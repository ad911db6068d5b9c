// Browser test of the certificate download on the result page and of the
// public verification page, on a 360×740 phone viewport.
//
// Starts the real server (CCHC_BIN, default build/cchc-quiz) on a free port
// with a temporary database and the demo contest; the participant registers
// and finishes round 1 through the API, then the result page is opened with
// the token in localStorage (as the contest page leaves it), the download
// button is clicked and the file saved by Chromium must be a PDF.
//   node --test tests/browser/
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
const CONTEST = 'demo-cchc';
const NAME = 'Đặng Thị Thu Hương';

let base = null;
let server = null;
let serverLog = '';
let tmpDir = null;
let browser = null;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

async function api(method, p, { token, body } = {}) {
  const headers = {};
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null, text };
}

before(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  const bin = path.resolve(repo, process.env.CCHC_BIN || 'build/cchc-quiz');
  assert.ok(fs.existsSync(bin), 'server binary not found: ' + bin + ' (build it or set CCHC_BIN)');
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-browser-cert-'));
  // a contest that certifies only from 3 points on, beside the demo one
  for (const args of [['bank', 'import', '--db', path.join(tmpDir, 'test.db'), path.join(repo, 'question-banks', 'cchc-nghe-an.json')],
    ['contest', 'load', '--db', path.join(tmpDir, 'test.db'), path.join(repo, 'tests', 'http', 'fixtures', 'cert-min.json')]]) {
    const r = spawnSync(bin, args, { encoding: 'utf8' });
    assert.equal(r.status, 0, args.join(' ') + ': ' + r.stderr);
  }
  const port = await freePort();
  server = spawn(bin, ['serve', '--port', String(port), '--db', path.join(tmpDir, 'test.db'),
    '--demo', '--web', path.join(repo, 'web'), '--access-log', 'off'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (d) => { serverLog = (serverLog + d.toString()).slice(-20000); };
  server.stdout.on('data', keep);
  server.stderr.on('data', keep);
  base = 'http://127.0.0.1:' + port;
  const end = Date.now() + 20000;
  for (;;) {
    try {
      if ((await fetch(base + '/healthz')).ok) break;
    } catch { /* not yet */ }
    if (Date.now() > end || server.exitCode !== null) throw new Error('server did not start:\n' + serverLog);
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

test('finish a quiz, click the download button: the file is a PDF; its QR page says valid', { timeout: 120000 }, async () => {
  const contest = (await api('GET', '/api/contests/' + CONTEST)).json;
  const round = contest.rounds.find((r) => r.status === 'open');
  assert.ok(round, 'an open round in the demo contest');
  const phone = '09' + String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
  const reg = await api('POST', `/api/contests/${CONTEST}/participants`, {
    body: { full_name: NAME, unit_id: contest.units[0].id, phone, track: 'cbccvc', consent: true },
  });
  assert.equal(reg.status, 201, reg.text);
  const token = reg.json.token;
  const a = await api('POST', `/api/rounds/${round.id}/attempts`, { token, body: {} });
  assert.equal(a.status, 201, a.text);
  const sub = await api('POST', `/api/attempts/${a.json.attempt_id}/submit`, { token, body: {} });
  assert.equal(sub.status, 200, sub.text);

  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true,
    locale: 'vi-VN', acceptDownloads: true,
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    // the token where the contest page keeps it
    await page.goto(base + '/robots.txt');
    await page.evaluate(([c, t, id]) => {
      localStorage.setItem('cchc.token.' + c, t);
      localStorage.setItem('cchc.attempt.' + id, c);
    }, [CONTEST, token, String(a.json.attempt_id)]);
    await page.goto(base + '/result.html?attempt=' + a.json.attempt_id);
    const button = page.locator('#cert-download');
    await button.waitFor({ state: 'visible', timeout: 15000 });
    assert.match(await button.textContent(), /giấy chứng nhận/i);
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30000 }),
      button.click(),
    ]);
    assert.match(download.suggestedFilename(), /^giay-chung-nhan-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}\.pdf$/);
    const file = path.join(tmpDir, download.suggestedFilename());
    await download.saveAs(file);
    const bytes = fs.readFileSync(file);
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'the downloaded file is a PDF');
    await page.screenshot({ path: path.join(artifacts, '08-result-certificate.png'), fullPage: true });
    const text = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    if (text.status === 0) assert.ok(text.stdout.normalize('NFC').includes(NAME), 'the name in the PDF');

    // the public verification page, as a phone that scanned the QR code opens it
    const number = download.suggestedFilename().slice(16, 29).replace(/-/g, '');
    await page.goto(base + '/v/' + number);
    assert.equal(await page.getAttribute('#verdict', 'data-status'), 'valid');
    assert.ok((await page.textContent('main')).includes(NAME));
    const { sw, cw } = await page.evaluate(() => ({
      sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth,
    }));
    assert.ok(sw <= cw, 'the verification page fits a phone');
    await page.screenshot({ path: path.join(artifacts, '09-verify-page.png'), fullPage: true });
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await context.close();
  }
});

test('a result below the contest\'s certificate threshold: no download button, the rule instead', { timeout: 60000 }, async () => {
  const contest = (await api('GET', '/api/contests/cert-min')).json;
  assert.deepEqual(contest.certificate, { who: 'min_score', min_score: 3 });
  const phone = '09' + String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
  const reg = await api('POST', '/api/contests/cert-min/participants', {
    body: { full_name: 'Hồ Thị Thấp', unit_id: contest.units[0].id, phone, track: 'cbccvc', consent: true },
  });
  assert.equal(reg.status, 201, reg.text);
  const token = reg.json.token;
  const a = await api('POST', `/api/rounds/${contest.rounds[0].id}/attempts`, { token, body: {} });
  assert.equal(a.status, 201, a.text);
  const sub = await api('POST', `/api/attempts/${a.json.attempt_id}/submit`, { token, body: {} });
  assert.equal(sub.status, 200, sub.text);
  assert.equal(sub.json.score, 0);
  // the server agrees: no certificate for this result
  assert.equal((await api('GET', `/api/attempts/${a.json.attempt_id}/certificate.pdf`, { token })).status, 403);

  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, locale: 'vi-VN' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(base + '/robots.txt');
    await page.evaluate(([t, id]) => {
      localStorage.setItem('cchc.token.cert-min', t);
      localStorage.setItem('cchc.attempt.' + id, 'cert-min');
    }, [token, String(a.json.attempt_id)]);
    await page.goto(base + '/result.html?attempt=' + a.json.attempt_id);
    const note = page.locator('#cert-note');
    await note.waitFor({ state: 'visible', timeout: 15000 });
    assert.match(await note.textContent(), /đạt từ 3 điểm trở lên; bài thi này đạt 0 điểm/);
    assert.equal(await page.locator('#cert-download').count(), 0, 'no download button');
    await page.screenshot({ path: path.join(artifacts, '10-result-no-certificate.png'), fullPage: true });
    assert.deepEqual(errors, [], 'no script errors');
  } finally {
    await context.close();
  }
});
