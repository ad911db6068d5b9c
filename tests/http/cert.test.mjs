// Participation certificates: issuing after a final attempt, the PDF and PNG,
// the QR code (decoded with zbarimg) and the public verification page it
// opens, tampering, offline verification with the CLI, revocation, bulk
// downloads, eligibility by score, re-issue after a better attempt, rate
// limiting. Needs zbarimg (zbar-tools), pdftotext/pdffonts/pdfinfo
// (poppler-utils) and unzip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  startServer, register, roundId, startAttempt, login, assertStatus, assertError, cli,
  correctAnswer, wrongAnswer, answersFor, BIN,
} from './lib.mjs';

const srv = await startServer({
  staff: [{ username: 'bantochuc', role: 'organiser' }, { username: 'giamkhao', role: 'judge' }],
  contests: ['cert.json', 'cert-min.json'],
});
const CONTEST = 'cert-cchc';
const ROUND = await roundId(srv, CONTEST, 0);
const MIN_ROUND = await roundId(srv, 'cert-min', 0);
const NAME = 'Nguyễn Thị Hồng Nhung';
const TMP = fs.mkdtempSync(path.join(srv.dir, 'cert-'));

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** The check character of a 10-character body (mirrors cert/number.c). */
function checkChar(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum = (sum + (i + 1) * ALPHABET.indexOf(body[i])) % 31;
  const w = body.length + 1;
  let inv = 1;
  for (let k = 0; k < 29; k++) inv = (inv * w) % 31;
  return ALPHABET[(((31 - sum) % 31) * inv) % 31];
}

/** Downloads a binary body; returns {status, headers, body: Buffer, json}. */
async function fetchBin(p, { token, cookie } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (cookie) headers.Cookie = `cchc_session=${cookie}`;
  const res = await fetch(srv.base + p, { headers, signal: AbortSignal.timeout(60_000) });
  const body = Buffer.from(await res.arrayBuffer());
  let json;
  if ((res.headers.get('content-type') || '').startsWith('application/json')) json = JSON.parse(body.toString('utf8'));
  return { status: res.status, headers: res.headers, body, json, text: body.toString('utf8') };
}

function run(cmd, args, input) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, timeout: 60_000 });
  if (r.error) throw r.error;
  return r;
}

function numberFrom(headers) {
  const m = /filename="giay-chung-nhan-([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3})\.(pdf|png)"/.exec(headers.get('content-disposition') || '');
  assert.ok(m, `Content-Disposition names the certificate: ${headers.get('content-disposition')}`);
  return m[1].replace(/-/g, '');
}

function decodeQr(png, name) {
  const file = path.join(TMP, name);
  fs.writeFileSync(file, png);
  const r = run('zbarimg', ['--raw', '-q', file]);
  assert.equal(r.status, 0, `zbarimg found a QR code in ${name}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Registers, takes one attempt in the round and submits it (pick: correct or wrong). */
async function finish(contest, round, fields, pick, p = null) {
  const who = p || await register(srv, contest, fields);
  const a = await startAttempt(srv, who.token, round);
  const r = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, {
    token: who.token, body: { answers: answersFor(a, pick) },
  });
  assertStatus(r, 200, 'submit');
  return { p: who, attempt: a, result: r.json };
}

const state = {};

test('a certificate only after the attempt is final; PDF and PNG for the owner', async () => {
  const p = await register(srv, CONTEST, { full_name: NAME, unit_id: 'so-noi-vu' });
  const a = await startAttempt(srv, p.token, ROUND);
  assertError(await srv.api('GET', `/api/attempts/${a.attempt_id}/certificate.pdf`, { token: p.token }),
    409, 'not_final');
  const r = await srv.api('POST', `/api/attempts/${a.attempt_id}/submit`, {
    token: p.token, body: { answers: answersFor(a, correctAnswer) },
  });
  assertStatus(r, 200, 'submit');
  assert.equal(r.json.score, 4);

  const pdf = await fetchBin(`/api/attempts/${a.attempt_id}/certificate.pdf`, { token: p.token });
  assert.equal(pdf.status, 200, pdf.text.slice(0, 300));
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(pdf.body.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(pdf.body.subarray(-1024).toString('latin1').includes('%%EOF'), 'a complete PDF');
  const number = numberFrom(pdf.headers);
  assert.equal(number[10], checkChar(number.slice(0, 10)), 'the number has a valid check character');

  const png = await fetchBin(`/api/attempts/${a.attempt_id}/certificate.png`, { token: p.token });
  assert.equal(png.status, 200);
  assert.equal(png.headers.get('content-type'), 'image/png');
  assert.deepEqual([...png.body.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(numberFrom(png.headers), number, 'the same certificate again, not a new one');
  const viaQuery = await fetchBin(`/api/attempts/${a.attempt_id}/certificate?format=png`, { token: p.token });
  assert.equal(viaQuery.status, 200);
  assert.equal(numberFrom(viaQuery.headers), number);
  assertError(await srv.api('GET', `/api/attempts/${a.attempt_id}/certificate?format=docx`, { token: p.token }),
    400, 'validation', 'format');

  // nobody else's token, and not without one
  const other = await register(srv, CONTEST, { full_name: 'Trần Văn Khác' });
  assertError(await srv.api('GET', `/api/attempts/${a.attempt_id}/certificate.pdf`, { token: other.token }),
    403, 'forbidden');
  assertError(await srv.api('GET', `/api/attempts/${a.attempt_id}/certificate.pdf`), 401, 'unauthorized');
  assertError(await srv.api('GET', '/api/attempts/999999/certificate.pdf', { token: p.token }), 404, 'not_found');
  Object.assign(state, { p, attempt: a, number, pdf: pdf.body, png: png.body });
});

test('the PDF embeds its fonts and carries the name with its diacritics, the score, the signer', () => {
  const file = path.join(TMP, 'one.pdf');
  fs.writeFileSync(file, state.pdf);
  const text = run('pdftotext', ['-enc', 'UTF-8', file, '-']).stdout.normalize('NFC');
  assert.ok(text.includes(NAME), `pdftotext shows the name exactly:\n${text}`);
  assert.ok(text.includes('GIẤY CHỨNG NHẬN'));
  assert.ok(text.includes('4/4 điểm'), 'show_score prints the score');
  assert.ok(text.includes('LÊ VĂN BÌNH') || text.includes('Lê Văn Bình'), 'signer name');
  assert.ok(text.includes('TRƯỞNG BAN'), 'signer title, second line');
  const grouped = `${state.number.slice(0, 4)}-${state.number.slice(4, 8)}-${state.number.slice(8)}`;
  assert.ok(text.includes(grouped), 'the number, grouped');
  assert.match(text, /ngày \d\d tháng \d\d? năm 20\d\d/, 'the date in Vietnamese');
  const fonts = run('pdffonts', [file]).stdout.trim().split('\n').slice(2);
  assert.ok(fonts.length >= 1, 'some fonts');
  for (const line of fonts) {
    const cols = line.trim().split(/\s+/);
    assert.equal(cols[cols.length - 5], 'yes', `font embedded: ${line}`);
  }
  const info = run('pdfinfo', [file]).stdout;
  assert.match(info, /Pages:\s+1/);
  assert.match(info, /Page size:\s+841\.\d+ x 595\.\d+ pts/, 'A4 landscape');
});

test('the QR code opens the public page: valid, with name, unit, contest, date and nothing more', async () => {
  const qr = decodeQr(state.png, 'one.png');
  assert.ok(qr.startsWith(`${srv.base}/v/${state.number}?d=`), qr);
  assert.match(qr, /&s=[A-Za-z0-9_-]{86}$/);
  state.qr = qr;
  const page = await fetchBin(qr.slice(srv.base.length));
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  assert.ok(page.text.includes('data-status="valid"'), page.text);
  assert.ok(page.text.includes(NAME));
  assert.ok(page.text.includes('Sở Nội vụ'));
  assert.ok(page.text.includes('Cuộc thi tìm hiểu cải cách hành chính tỉnh Nghệ An năm 2026'));
  assert.ok(page.text.includes('hợp lệ'));
  assert.ok(!page.text.includes(state.p.phone), 'no phone number on the public page');
  assert.ok(!page.text.includes('4/4'), 'no score on the public page');
  assert.match(page.headers.get('content-security-policy') || '', /default-src 'self'/);

  const bare = await srv.api('GET', `/api/cert/verify/${state.number}`);
  assertStatus(bare, 200);
  assert.equal(bare.json.status, 'valid');
  assert.equal(bare.json.name, NAME);
  assert.equal(bare.json.unit, 'Sở Nội vụ');
  assert.equal(bare.json.link_checked, false);
  assert.match(bare.json.date, /^\d{4}-\d\d-\d\d$/);
  assert.equal(bare.json.phone, undefined);
  const linked = await srv.api('GET', `/api/cert/verify/${state.number}${qr.slice(qr.indexOf('?'))}`);
  assert.equal(linked.json.status, 'valid');
  assert.equal(linked.json.link_checked, true);
  // the number typed by a person: grouped, lower case
  const typed = `${state.number.slice(0, 4)}-${state.number.slice(4, 8)}-${state.number.slice(8)}`.toLowerCase();
  assert.equal((await srv.api('GET', `/api/cert/verify/${typed}`)).json.status, 'valid');
});

test('one character changed in the number or the signature: unknown or invalid', async () => {
  const qr = state.qr.slice(srv.base.length);
  const at = qr.indexOf('/v/') + 3;
  for (const i of [0, 5, 10]) {
    const c = state.number[i];
    const repl = ALPHABET[(ALPHABET.indexOf(c) + 1) % 31];
    const bad = qr.slice(0, at + i) + repl + qr.slice(at + i + 1);
    const page = await fetchBin(bad);
    assert.equal(page.status, 404, `number changed at ${i}`);
    assert.ok(page.text.includes('data-status="unknown"'));
    assert.ok(!page.text.includes(NAME));
  }
  // a well-formed number that was never issued
  let body = state.number.slice(0, 9) + (state.number[9] === '2' ? '3' : '2');
  const unknown = body + checkChar(body);
  const u = await srv.api('GET', `/api/cert/verify/${unknown}`);
  assert.equal(u.status, 404);
  assert.equal(u.json.status, 'unknown');

  const s = qr.indexOf('&s=') + 3;
  for (const i of [0, 40, 85]) {
    const c = qr[s + i];
    const bad = qr.slice(0, s + i) + (c === 'A' ? 'B' : 'A') + qr.slice(s + i + 1);
    const page = await fetchBin(bad);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes('data-status="invalid"'), `signature changed at ${i}`);
    assert.ok(!page.text.includes(NAME), 'an invalid link shows no personal data');
    const j = await srv.api('GET', bad.replace('/v/', '/api/cert/verify/'));
    assert.equal(j.json.status, 'invalid');
  }
  // a signed field changed (d re-encoded with another name), signature kept
  const d = new URL(state.qr).searchParams.get('d');
  const fields = Buffer.from(d, 'base64url').toString('utf8').split('\n');
  fields[0] = 'Nguyễn Thị Hồng Nhunh';
  const forged = qr.replace(d, Buffer.from(fields.join('\n')).toString('base64url'));
  assert.ok((await fetchBin(forged)).text.includes('data-status="invalid"'));
});

test('cchc-quiz cert verify checks the QR text offline with the public key', async () => {
  const pk = await srv.api('GET', '/api/cert/public-key');
  assertStatus(pk, 200);
  assert.equal(pk.json.algorithm, 'Ed25519');
  assert.match(pk.json.public_key, /^[A-Za-z0-9_-]{43}$/);
  assert.match(pk.json.key_id, /^[0-9a-f]{16}$/);
  const keyFile = path.join(TMP, 'public-key.json');
  fs.writeFileSync(keyFile, pk.text);
  const ok = run(BIN, ['cert', 'verify', '--key', keyFile, state.qr]);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /^VALID/);
  assert.ok(ok.stdout.includes(NAME), ok.stdout);
  assert.ok(ok.stdout.includes('Sở Nội vụ'));
  assert.ok(ok.stdout.includes('Cuộc thi tìm hiểu cải cách hành chính tỉnh Nghệ An năm 2026'));
  assert.ok(ok.stdout.includes('4/4'));
  // from standard input, with the key file beside the database
  const viaDb = run(BIN, ['cert', 'verify', '--db', srv.db, '-'], state.qr + '\n');
  assert.equal(viaDb.status, 0, viaDb.stdout + viaDb.stderr);
  const keyMode = fs.statSync(`${srv.db}.signing.key`).mode & 0o777;
  assert.equal(keyMode, 0o600, 'the signing key file is private');

  // tampered: a changed signature, a changed field, a changed number
  const s = state.qr.indexOf('&s=') + 3;
  const badSig = state.qr.slice(0, s + 10) + (state.qr[s + 10] === 'A' ? 'B' : 'A') + state.qr.slice(s + 11);
  const d = new URL(state.qr).searchParams.get('d');
  const fields = Buffer.from(d, 'base64url').toString('utf8').split('\n');
  fields[5] = '0/4';
  const badField = state.qr.replace(d, Buffer.from(fields.join('\n')).toString('base64url'));
  const at = state.qr.indexOf('/v/') + 3;
  const badNum = state.qr.slice(0, at + 3) + (state.qr[at + 3] === '2' ? '3' : '2') + state.qr.slice(at + 4);
  for (const bad of [badSig, badField, badNum]) {
    const r = run(BIN, ['cert', 'verify', '--key', keyFile, bad]);
    assert.equal(r.status, 1, `tampered text must fail: ${r.stdout}`);
    assert.match(r.stdout, /^INVALID/);
  }
  // another key: fails
  const otherKey = path.join(TMP, 'other.pub');
  fs.writeFileSync(otherKey, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n');
  assert.equal(run(BIN, ['cert', 'verify', '--key', otherKey, state.qr]).status, 1);
});

test('bulk: a round as one multi-page PDF and as a ZIP of PNGs, streamed; CLI render', async () => {
  const second = await finish(CONTEST, ROUND, { full_name: 'Phạm Văn Đồng', unit_id: 'tp-vinh' }, wrongAnswer);
  const org = await login(srv, 'bantochuc');
  const pdf = await fetchBin(`/api/admin/rounds/${ROUND}/certificates.pdf`, { cookie: org.cookie });
  assert.equal(pdf.status, 200, pdf.text.slice(0, 300));
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(pdf.headers.get('transfer-encoding'), 'chunked', 'streamed');
  const file = path.join(TMP, 'round.pdf');
  fs.writeFileSync(file, pdf.body);
  assert.match(run('pdfinfo', [file]).stdout, /Pages:\s+2/, 'both participants, issued on the way');
  const text = run('pdftotext', ['-enc', 'UTF-8', file, '-']).stdout.normalize('NFC');
  assert.ok(text.includes(NAME) && text.includes('Phạm Văn Đồng'));

  const zip = await fetchBin(`/api/admin/rounds/${ROUND}/certificates.zip`, { cookie: org.cookie });
  assert.equal(zip.status, 200);
  assert.equal(zip.headers.get('content-type'), 'application/zip');
  const zfile = path.join(TMP, 'round.zip');
  fs.writeFileSync(zfile, zip.body);
  const t = run('unzip', ['-t', zfile]);
  assert.equal(t.status, 0, t.stdout + t.stderr);
  const names = run('unzip', ['-Z1', zfile]).stdout.trim().split('\n');
  assert.equal(names.length, 2);
  for (const n of names) assert.match(n, /^\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}\.png$/);
  const out = path.join(TMP, 'x');
  fs.mkdirSync(out);
  run('unzip', ['-q', zfile, '-d', out]);
  const decoded = decodeQr(fs.readFileSync(path.join(out, names[1])), 'from-zip.png');
  assert.match(decoded, /\/v\/[0-9A-Z]{11}\?d=/);

  const contest = await fetchBin(`/api/admin/contests/${CONTEST}/certificates.pdf`, { cookie: org.cookie });
  assert.equal(contest.status, 200);
  assert.equal(contest.body.subarray(0, 4).toString('latin1'), '%PDF');
  // judges may not download in bulk; participants not at all
  const judge = await login(srv, 'giamkhao');
  assert.equal((await fetchBin(`/api/admin/rounds/${ROUND}/certificates.pdf`, { cookie: judge.cookie })).status, 403);
  assert.equal((await fetchBin(`/api/admin/rounds/${ROUND}/certificates.pdf`, { token: second.p.token })).status, 401);
  assert.equal((await fetchBin(`/api/admin/rounds/${ROUND}/certificates.doc`, { cookie: org.cookie })).status, 404);

  // the CLI, against the database the server is using
  const cliOut = path.join(TMP, 'cli.pdf');
  const r = cli(['cert', 'render', '--db', srv.db, '--round', String(ROUND), '--out', cliOut]);
  assert.match(r.stdout, /2 certificates/);
  assert.match(run('pdfinfo', [cliOut]).stdout, /Pages:\s+2/);
  const cliZip = path.join(TMP, 'cli.zip');
  cli(['cert', 'render', '--db', srv.db, '--contest', CONTEST, '--out', cliZip]);
  assert.equal(run('unzip', ['-t', cliZip]).status, 0);
  state.second = second;
});

test('judges and organisers revoke with a reason (CSRF, audit); the page then says revoked', async () => {
  const judge = await login(srv, 'giamkhao');
  const p = `/api/admin/certificates/${state.number}/revoke`;
  assertError(await srv.api('POST', p, { cookie: judge.cookie, body: { reason: 'Gian lận' } }), 403, 'forbidden', 'X-CSRF-Token');
  assertError(await srv.api('POST', p, { cookie: judge.cookie, csrf: judge.csrf, body: {} }), 400, 'validation', 'reason');
  assertError(await srv.api('POST', p, { cookie: judge.cookie, csrf: judge.csrf, body: { reason: 'Sai', x: 1 } }), 400, 'validation', 'x');
  assertError(await srv.api('POST', p, { token: state.p.token, body: { reason: 'Tự thu hồi' } }), 401, 'unauthorized');
  const reason = 'Thi hộ người khác, xác minh ngày 27/11';
  const r = await srv.api('POST', p, { cookie: judge.cookie, csrf: judge.csrf, body: { reason } });
  assertStatus(r, 200, 'revoke');
  assert.equal(r.json.status, 'revoked');
  assert.equal(r.json.revoked_by, 'giamkhao');
  assertError(await srv.api('POST', p, { cookie: judge.cookie, csrf: judge.csrf, body: { reason } }), 409, 'already_revoked');
  assertError(await srv.api('POST', '/api/admin/certificates/AAAAAAAAAAA/revoke', { cookie: judge.cookie, csrf: judge.csrf, body: { reason } }), 404, 'not_found');

  const page = await fetchBin(state.qr.slice(srv.base.length));
  assert.ok(page.text.includes('data-status="revoked"'), page.text);
  assert.ok(page.text.includes('thu hồi'));
  assert.ok(page.text.includes(reason));
  assert.ok(!page.text.includes(NAME), 'a revoked certificate shows no name');
  const j = await srv.api('GET', `/api/cert/verify/${state.number}`);
  assert.equal(j.json.status, 'revoked');
  assert.equal(j.json.revoke_reason, reason);
  assert.ok(Date.parse(j.json.revoked_at) > 0);

  // the holder gets no new one; the organiser still sees it, stamped
  assertError(await srv.api('GET', `/api/attempts/${state.attempt.attempt_id}/certificate.pdf`, { token: state.p.token }), 403, 'revoked');
  const org = await login(srv, 'bantochuc');
  const info = await srv.api('GET', `/api/admin/certificates/${state.number}`, { cookie: org.cookie });
  assertStatus(info, 200);
  assert.equal(info.json.status, 'revoked');
  assert.equal(info.json.name, NAME);
  assert.equal(info.json.revoke_reason, reason);
  const stamped = await fetchBin(`/api/admin/certificates/${state.number}.pdf`, { cookie: org.cookie });
  assert.equal(stamped.status, 200);
  const sf = path.join(TMP, 'revoked.pdf');
  fs.writeFileSync(sf, stamped.body);
  assert.ok(run('pdftotext', ['-raw', sf, '-']).stdout.includes('ĐÃ THU HỒI'), 'stamped revoked');
  // a bulk download leaves revoked certificates out
  const bulk = await fetchBin(`/api/admin/rounds/${ROUND}/certificates.pdf`, { cookie: org.cookie });
  const bf = path.join(TMP, 'after.pdf');
  fs.writeFileSync(bf, bulk.body);
  assert.match(run('pdfinfo', [bf]).stdout, /Pages:\s+1/);
  // the audit log has it
  const audit = run('sqlite3', [srv.db, "SELECT actor, detail FROM audit_log WHERE action = 'cert.revoke'"]);
  if (audit.status === 0) {
    assert.ok(audit.stdout.includes('giamkhao') && audit.stdout.includes(state.number), audit.stdout);
  }
});

test('a better second attempt replaces the certificate; the old one reads revoked', async () => {
  const { p, attempt } = state.second;
  const first = await fetchBin(`/api/attempts/${attempt.attempt_id}/certificate.pdf`, { token: p.token });
  const oldNumber = numberFrom(first.headers);
  const again = await finish(CONTEST, ROUND, null, correctAnswer, p);
  const second = await fetchBin(`/api/attempts/${again.attempt.attempt_id}/certificate.pdf`, { token: p.token });
  assert.equal(second.status, 200);
  const newNumber = numberFrom(second.headers);
  assert.notEqual(newNumber, oldNumber);
  // asking through the first attempt gives the round's current certificate
  assert.equal(numberFrom((await fetchBin(`/api/attempts/${attempt.attempt_id}/certificate.pdf`, { token: p.token })).headers), newNumber);
  assert.equal((await srv.api('GET', `/api/cert/verify/${oldNumber}`)).json.status, 'revoked');
  assert.equal((await srv.api('GET', `/api/cert/verify/${newNumber}`)).json.status, 'valid');
});

test('a minimum score: below it no certificate, at it one', async () => {
  // the contest page tells who earns one (the result page offers it only then)
  assert.deepEqual((await srv.api('GET', '/api/contests/cert-min')).json.certificate, { who: 'min_score', min_score: 3 });
  const low = await finish('cert-min', MIN_ROUND, { full_name: 'Hồ Thị Thấp' }, wrongAnswer);
  assertError(await srv.api('GET', `/api/attempts/${low.attempt.attempt_id}/certificate.pdf`, { token: low.p.token }),
    403, 'not_eligible');
  const high = await finish('cert-min', MIN_ROUND, { full_name: 'Hồ Văn Cao' }, correctAnswer);
  const pdf = await fetchBin(`/api/attempts/${high.attempt.attempt_id}/certificate.pdf`, { token: high.p.token });
  assert.equal(pdf.status, 200);
  const file = path.join(TMP, 'min.pdf');
  fs.writeFileSync(file, pdf.body);
  const text = run('pdftotext', ['-enc', 'UTF-8', file, '-']).stdout;
  assert.ok(!text.includes('Kết quả'), 'show_score is off by default');
});

test('a 100-character name and a long unit still give a readable QR code and the whole name', async () => {
  const long = 'Tôn Nữ Thị Phương Thảo Hoàng Lê Nguyễn Đặng Phạm Trần Huỳnh Võ Vũ Dương Đỗ Bùi Hồ Ngô Lý Lâm Trịnh';
  assert.ok([...long].length <= 100);
  const { p, attempt } = await finish(CONTEST, ROUND, { full_name: long, unit_id: 'tp-vinh' }, correctAnswer);
  const png = await fetchBin(`/api/attempts/${attempt.attempt_id}/certificate.png`, { token: p.token });
  const qr = decodeQr(png.body, 'long.png');
  const pdf = await fetchBin(`/api/attempts/${attempt.attempt_id}/certificate.pdf`, { token: p.token });
  const file = path.join(TMP, 'long.pdf');
  fs.writeFileSync(file, pdf.body);
  const text = run('pdftotext', ['-enc', 'UTF-8', file, '-']).stdout.normalize('NFC').replace(/\s+/g, ' ');
  assert.ok(text.includes(long), `the whole name, wrapped:\n${text}`);
  const v = await srv.api('GET', qr.slice(srv.base.length).replace('/v/', '/api/cert/verify/'));
  assert.equal(v.json.status, 'valid');
  assert.equal(v.json.name, long);
});

test('verification is rate limited per address', async () => {
  const limited = await startServer({ rateLimit: true });
  let got429 = null;
  for (let i = 0; i < 90 && !got429; i++) {
    const r = await limited.api('GET', '/api/cert/verify/AAAAAAAAAAA');
    if (r.status === 429) got429 = r;
    else assert.equal(r.status, 404);
  }
  assert.ok(got429, 'a 429 within 90 requests');
  assertError(got429, 429, 'rate_limited');
  assert.ok(Number(got429.headers.get('retry-after')) >= 1);
  const page = await fetch(`${limited.base}/v/AAAAAAAAAAA`);
  assert.equal(page.status, 429, 'the HTML page shares the limit');
  await limited.stop();
});
