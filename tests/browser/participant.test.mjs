// Browser test of the participant pages on a 360×740 phone viewport.
//
// Starts the real server (CCHC_BIN, default build/cchc-quiz) on a free port with a
// temporary database and the demo contest, drives /usr/bin/chromium through
// playwright-core, and saves screenshots into tests/browser/artifacts/.
// With CCHC_BASE_URL set, it uses that running server instead of starting one.
//
//   node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
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
const NAME = 'Nguyễn Thị Hồng Nhung';
// A fresh phone number each run, so a reused server does not answer "duplicate".
const PHONE_DIGITS = '09' + String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
const PHONE_TYPED = PHONE_DIGITS.slice(0, 4) + ' ' + PHONE_DIGITS.slice(4, 7) + ' ' + PHONE_DIGITS.slice(7);
const PREDICTION = '1234';

let base = process.env.CCHC_BASE_URL ? process.env.CCHC_BASE_URL.replace(/\/$/, '') : null;
let server = null;
let serverLog = '';
let tmpDir = null;
let browser = null;
const shared = { unitName: null, submitted: false };

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

async function waitHealthy(url, proc, ms) {
  const end = Date.now() + ms;
  let exited = null;
  proc.once('exit', (code, sig) => { exited = code !== null ? 'code ' + code : 'signal ' + sig; });
  while (Date.now() < end) {
    if (exited) throw new Error('server exited (' + exited + ') before answering /healthz:\n' + serverLog);
    try {
      const r = await fetch(url + '/healthz');
      if (r.ok) return;
    } catch { /* not listening yet */ }
    await sleep(100);
  }
  throw new Error('server did not answer /healthz within ' + ms + ' ms:\n' + serverLog);
}

before(async () => {
  fs.mkdirSync(artifacts, { recursive: true });
  if (!base) {
    const bin = path.resolve(repo, process.env.CCHC_BIN || 'build/cchc-quiz');
    assert.ok(fs.existsSync(bin), 'server binary not found: ' + bin + ' (build it or set CCHC_BIN)');
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cchc-browser-'));
    const port = await freePort();
    server = spawn(bin, ['serve', '--port', String(port), '--db', path.join(tmpDir, 'test.db'),
      '--demo', '--web', path.join(repo, 'web')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d) => { serverLog = (serverLog + d.toString()).slice(-20000); };
    server.stdout.on('data', keep);
    server.stderr.on('data', keep);
    base = 'http://127.0.0.1:' + port;
    await waitHealthy(base, server, 20000);
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

async function phonePage() {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'vi-VN',
    // A different zone from Vietnam's, so the pages must format times themselves.
    timezoneId: 'UTC',
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
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

async function waitSaved(page) {
  await page.waitForFunction(() => {
    const s = document.querySelector('#save-status');
    return s && s.textContent.trim() === 'Đã lưu';
  }, null, { timeout: 15000 });
}

async function remainingMs(page) {
  return Number(await page.getAttribute('#timer', 'data-remaining-ms'));
}

/** Checked option indices of every question, in page order. */
async function checkedState(page) {
  return page.$$eval('#questions fieldset.question', (sets) => sets.map((fs) =>
    Array.from(fs.querySelectorAll('input')).filter((i) => i.checked).map((i) => Number(i.value))));
}

test('a participant registers, takes round 1 on a phone, reloads mid-quiz and submits', { timeout: 180000 }, async () => {
  const { context, page, errors } = await phonePage();
  try {
    await page.goto(base + '/contest.html?id=' + CONTEST);
    await page.waitForSelector('#reg-form', { state: 'visible' });
    assert.equal(await page.getAttribute('html', 'lang'), 'vi');
    assert.ok((await page.textContent('h1')).trim().length > 0, 'contest title shown');
    assert.ok(await page.locator('#rules p').count() >= 1, 'rules shown as paragraphs');
    assert.ok(await page.locator('#rounds > li').count() >= 2, 'both rounds listed');
    const roundsText = await page.innerText('#rounds');
    assert.match(roundsText, /Đang mở/);
    assert.match(roundsText, /Sắp mở/);
    assert.match(roundsText, /\d{2}:\d{2}/, 'round times shown');
    assert.ok(await page.locator('#r-unit optgroup').count() >= 1, 'units grouped by block');
    await assertNoHorizontalScroll(page, 'contest page');

    await page.fill('#r-name', NAME);
    const unitValue = await page.$eval('#r-unit', (s) => s.querySelector('option[value]:not([value=""])').value);
    await page.selectOption('#r-unit', unitValue);
    shared.unitName = (await page.$eval('#r-unit', (s) => s.selectedOptions[0].textContent)).trim();
    await page.fill('#r-phone', PHONE_TYPED);
    await page.check('#reg-form input[name="track"][value="cbccvc"]');

    // Consent is required: the error appears at the checkbox.
    await page.click('#reg-form button[type="submit"]');
    await page.waitForSelector('#r-consent[aria-invalid="true"]');
    assert.match(await page.innerText('#reg-form'), /đồng ý/i);

    await page.check('#r-consent');
    await page.click('#reg-form button[type="submit"]');
    await page.waitForSelector('#me', { state: 'visible' });
    await page.waitForSelector('.start-btn:not([disabled])');
    const token = await page.evaluate((c) => localStorage.getItem('cchc.token.' + c), CONTEST);
    assert.match(token || '', /^[0-9a-f]{64}$/, 'token stored in localStorage');
    const meText = await page.innerText('#me');
    assert.ok(meText.includes(NAME), 'own name shown');
    assert.ok(meText.includes(shared.unitName), 'own unit shown');
    await assertNoHorizontalScroll(page, 'contest page after registration');
    await shot(page, '01-after-registration.png');

    await page.click('.start-btn:not([disabled])');
    await page.waitForURL(/\/quiz\.html\?attempt=\d+/);
    await page.waitForSelector('#quiz', { state: 'visible' });
    const total = await page.locator('#questions fieldset.question').count();
    assert.ok(total >= 2, 'at least two questions');
    assert.ok(await page.locator('#prediction').isVisible(), 'prediction question shown');
    const firstHalf = Math.max(1, Math.floor(total / 2));

    for (let i = 0; i < firstHalf; i++) {
      await page.locator('#questions fieldset.question').nth(i).locator('label.option').nth(i % 2).click();
    }
    await waitSaved(page);
    assert.equal((await page.innerText('#progress-text')).trim(), 'Đã trả lời ' + firstHalf + '/' + total);
    const before = await checkedState(page);
    const remainingBefore = await remainingMs(page);
    assert.ok(remainingBefore > 0, 'countdown running');
    assert.match(await page.innerText('#timer'), /^\d{1,2}:\d{2}(:\d{2})?$/);
    await assertNoHorizontalScroll(page, 'quiz page');
    await shot(page, '02-mid-quiz.png', false);

    await sleep(2000);
    await page.reload();
    await page.waitForSelector('#quiz', { state: 'visible' });
    await page.waitForFunction(() => document.querySelector('#timer').dataset.remainingMs !== undefined);
    const afterReload = await checkedState(page);
    assert.deepEqual(afterReload, before, 'saved answers restored after reload');
    const remainingAfter = await remainingMs(page);
    assert.ok(remainingAfter < remainingBefore, `countdown continues: ${remainingAfter} < ${remainingBefore}`);
    assert.ok(remainingAfter > 0, 'time left after reload');
    assert.equal((await page.innerText('#progress-text')).trim(), 'Đã trả lời ' + firstHalf + '/' + total);
    await shot(page, '03-after-reload.png', false);

    // Offline: the warning banner shows, and the answer is saved once back online.
    await context.setOffline(true);
    await page.locator('#questions fieldset.question').nth(firstHalf).locator('label.option').first().click();
    await page.waitForFunction(() => /Mất kết nối/.test(document.querySelector('#banner').textContent));
    await context.setOffline(false);
    await waitSaved(page);
    await page.waitForSelector('#banner', { state: 'hidden' });

    for (let i = firstHalf + 1; i < total; i++) {
      await page.locator('#questions fieldset.question').nth(i).locator('label.option').first().click();
    }
    await page.fill('#prediction', PREDICTION);
    await waitSaved(page);
    assert.equal((await page.innerText('#progress-text')).trim(), 'Đã trả lời ' + total + '/' + total);

    await page.click('#submit-btn');
    await page.waitForSelector('#confirm[open]');
    await page.click('#confirm-yes');
    await page.waitForURL(/\/result\.html\?attempt=\d+/);
    await page.waitForFunction(() => /\d+\s*\/\s*\d+/.test(document.querySelector('#score').textContent));
    shared.submitted = true;
    const resultText = await page.innerText('main');
    assert.match(resultText, /Điểm của bạn/);
    // The review is shown when the contest allows it; otherwise a message says so.
    await page.waitForFunction(() => !document.querySelector('#review').classList.contains('hidden'));
    const reviewed = await page.locator('#review-list .review-q').count();
    if (reviewed) assert.equal(reviewed, total, 'every question in the review');
    else assert.ok((await page.innerText('#review-msg')).trim().length > 0, 'review message shown');
    await assertNoHorizontalScroll(page, 'result page');
    await shot(page, '04-result.png');

    // Opening the finished attempt's quiz page goes straight to the result.
    const attemptUrl = page.url().replace('result.html', 'quiz.html');
    await page.goto(attemptUrl);
    await page.waitForURL(/\/result\.html\?attempt=\d+/);

    assert.deepEqual(errors, [], 'no JavaScript errors');
  } finally {
    await context.close();
  }
});

test('on another device the participant continues with name and phone and sees the attempt', { timeout: 60000 }, async (t) => {
  if (!shared.submitted) {
    t.skip('needs the submitted attempt of the first test');
    return;
  }
  const { context, page, errors } = await phonePage();
  try {
    await page.goto(base + '/contest.html?id=' + CONTEST);
    await page.waitForSelector('#ses-form', { state: 'visible' });
    // Registering again with the same number (written as +84…) is refused at the phone field.
    await page.fill('#r-name', NAME);
    await page.selectOption('#r-unit', { index: 1 });
    await page.fill('#r-phone', '+84 ' + PHONE_DIGITS.slice(1));
    await page.check('#reg-form input[name="track"][value="citizen"]');
    await page.check('#r-consent');
    await page.click('#reg-form button[type="submit"]');
    await page.waitForSelector('#r-phone[aria-invalid="true"]');
    assert.ok((await page.innerText('#register .field-error')).trim().length > 0, 'duplicate message at the phone field');
    // A wrong phone number is refused with a message.
    await page.fill('#s-name', NAME);
    await page.fill('#s-phone', '0900000001');
    await page.click('#ses-form button[type="submit"]');
    await page.waitForSelector('#ses-msg.msg.error');
    // Other case and spacing, and the +84 form of the number, match.
    await page.fill('#s-name', '  ' + NAME.toUpperCase().replace(/ /g, '  ') + ' ');
    await page.fill('#s-phone', '+84' + PHONE_DIGITS.slice(1));
    await page.click('#ses-form button[type="submit"]');
    await page.waitForSelector('#me', { state: 'visible' });
    const meText = await page.innerText('#me');
    assert.ok(meText.includes(NAME), 'own name shown');
    assert.match(meText, /Đã nộp bài/, 'the submitted attempt is listed');
    assert.match(meText, /Điểm: \d+/, 'with its score');
    assert.ok(await page.locator('#attempts a[href^="result.html?attempt="]').count() >= 1, 'link to the result');
    await assertNoHorizontalScroll(page, 'contest page on another device');
    await shot(page, '05-another-device.png');
    assert.deepEqual(errors, [], 'no JavaScript errors');
  } finally {
    await context.close();
  }
});

test('the leaderboard shows name and unit, never the phone number', { timeout: 60000 }, async (t) => {
  if (!shared.submitted) {
    t.skip('needs the submitted attempt of the previous test');
    return;
  }
  const { context, page, errors } = await phonePage();
  try {
    await page.goto(base + '/leaderboard.html?contest=' + CONTEST);
    await page.waitForSelector('#round-board table');
    // The 9 digits after the leading 0 (as in 0912…, +84 912…), with any separators.
    const phoneRe = new RegExp(PHONE_DIGITS.slice(1).split('').join('[\\s.\\-]*'));
    const checkNoPhone = async (where) => {
      const text = await page.innerText('body');
      const html = await page.content();
      assert.ok(!phoneRe.test(text), where + ': phone number must not appear in the text');
      assert.ok(!phoneRe.test(html), where + ': phone number must not appear in the page');
    };

    const roundText = await page.innerText('#panel-round');
    assert.ok(roundText.includes(NAME), 'name on the round board');
    assert.ok(roundText.includes(shared.unitName), 'unit on the round board');
    await checkNoPhone('round board');
    await assertNoHorizontalScroll(page, 'leaderboard');
    await shot(page, '06-leaderboard.png');

    await page.click('#tab-contest');
    await page.waitForSelector('#contest-board table');
    assert.ok((await page.innerText('#panel-contest')).includes(NAME), 'name on the contest board');
    await checkNoPhone('contest board');

    await page.click('#tab-units');
    await page.waitForSelector('#units-board table');
    assert.ok((await page.innerText('#panel-units')).includes(shared.unitName), 'unit in the per-unit table');
    await checkNoPhone('unit table');
    await assertNoHorizontalScroll(page, 'unit table');
    await shot(page, '07-units.png');

    assert.deepEqual(errors, [], 'no JavaScript errors');
  } finally {
    await context.close();
  }
});

test('the leaderboard follows new results by itself, without reloading', { timeout: 60000 }, async () => {
  const call = async (method, p, { token, body } = {}) => {
    const headers = {};
    if (token) headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null, text };
  };
  const contest = (await call('GET', '/api/contests/' + CONTEST)).json;
  const round = contest.rounds.find((r) => r.status === 'open');
  const { context, page, errors } = await phonePage();
  try {
    await page.goto(base + '/leaderboard.html?contest=' + CONTEST + '&round=' + round.id);
    await page.waitForSelector('#round-board');
    await page.waitForFunction(() => /Tự động cập nhật/.test(document.querySelector('#live-status').textContent),
      null, { timeout: 15000 });
    const LATE = 'Phan Văn Trực Tiếp';
    assert.ok(!(await page.innerText('#panel-round')).includes(LATE));
    const phone = '09' + String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
    const reg = await call('POST', `/api/contests/${CONTEST}/participants`, {
      body: { full_name: LATE, unit_id: contest.units[0].id, phone, track: 'cbccvc', consent: true },
    });
    assert.equal(reg.status, 201, reg.text);
    const a = await call('POST', `/api/rounds/${round.id}/attempts`, { token: reg.json.token, body: {} });
    assert.equal(a.status, 201, a.text);
    const sub = await call('POST', `/api/attempts/${a.json.attempt_id}/submit`, { token: reg.json.token, body: {} });
    assert.equal(sub.status, 200, sub.text);
    // no click, no reload: the server's event brings the new row
    await page.waitForFunction((name) => document.querySelector('#round-board').textContent.includes(name),
      LATE, { timeout: 15000 });
    // in Vietnam's time, whatever the phone's zone (this one is UTC)
    const shown = /Cập nhật lúc (\d{2}):(\d{2}):(\d{2})/.exec(await page.innerText('#live-time'));
    assert.ok(shown, 'the time of the last update');
    const vnHour = (new Date().getUTCHours() + 7) % 24;
    assert.ok([vnHour, (vnHour + 23) % 24].includes(Number(shown[1])), `hour ${shown[1]}, Vietnam's is ${vnHour}`);
    await shot(page, '11-leaderboard-live.png');
    // the unit table has no stream: leaving for it closes the connection
    await page.click('#tab-units');
    await page.waitForSelector('#units-board table');
    assert.equal(await page.innerText('#live-status'), '');
    assert.deepEqual(errors, [], 'no JavaScript errors');
  } finally {
    await context.close();
  }
});
