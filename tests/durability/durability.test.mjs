// Durability: no acknowledged submission is ever lost.
//  - kill -9 in the middle of a submit load, restart, check every submit that
//    got a 2xx is there with the same score, and PRAGMA integrity_check is ok;
//    KILL_ROUNDS times (scripts/test: 3; scripts/soak: many).
//  - `cchc-quiz backup` while serving under load gives a consistent copy, and
//    restoring it (stop, put the copy in place, start) brings the data back.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, copyFileSync, existsSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = process.env.CCHC_BIN || join(ROOT, 'build/cchc-quiz');
const ROUNDS = Number(process.env.KILL_ROUNDS || 3);
const dir = mkdtempSync(join(tmpdir(), 'cchc-dur-'));
const DB = join(dir, 'test.db');
after(() => rmSync(dir, { recursive: true, force: true }));

function freePort() {
  return new Promise((res) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

async function start(db) {
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--port', String(port), '--db', db, '--demo',
    '--web', join(ROOT, 'web'), '--no-rate-limit', '--access-log', 'off', '--log-level', 'warn'],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) return { proc, base, stderr: () => stderr }; } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill('SIGKILL');
  throw new Error(`server did not start: ${stderr}`);
}

const exited = (proc) => proc.exitCode !== null || proc.signalCode !== null;
const waitExit = (proc) => new Promise((r) => (exited(proc) ? r() : proc.once('exit', r)));

async function stop(srv, signal = 'SIGTERM') {
  if (exited(srv.proc)) return;
  const done = new Promise((r) => srv.proc.once('exit', r));
  srv.proc.kill(signal);
  await done;
}

async function json(res) { return { status: res.status, body: await res.json() }; }

let phoneSeq = 0;
async function participants(base, n) {
  const out = [];
  let next = 0;
  async function worker() {
    while (next < n) {
      next++;
      const phone = '098' + String(1000000 + phoneSeq++).padStart(7, '0');
      const reg = await json(await fetch(`${base}/api/contests/demo-cchc/participants`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ full_name: 'Trần Thị Bền', unit_id: 'so-noi-vu', phone,
                               track: 'citizen', consent: true }) }));
      assert.equal(reg.status, 201, JSON.stringify(reg.body));
      const st = await json(await fetch(`${base}/api/rounds/1/attempts`, {
        method: 'POST', headers: { authorization: `Bearer ${reg.body.token}` } }));
      assert.equal(st.status, 201, JSON.stringify(st.body));
      const answers = {};
      for (const q of st.body.questions) answers[q.id] = q.multi ? [0] : 0;
      out.push({ token: reg.body.token, attempt: st.body.attempt_id, answers });
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker));
  return out;
}

function integrity(db) {
  const out = execFileSync(BIN, ['check', '--db', db], { encoding: 'utf8' });
  assert.match(out, /^integrity: ok$/m);
  return out;
}

test(`kill -9 during a submit load loses no acknowledged submission (${ROUNDS} rounds)`,
  { timeout: 60_000 + ROUNDS * 20_000 }, async () => {
    let srv = await start(DB);
    let totalAcked = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const people = await participants(srv.base, 150);
      const acked = [];
      let killed = false;
      let i = 0;
      async function submitter() {
        while (!killed && i < people.length) {
          const p = people[i++];
          try {
            const r = await fetch(`${srv.base}/api/attempts/${p.attempt}/submit`, {
              method: 'POST',
              headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ answers: p.answers, prediction: 7 }) });
            if (r.status >= 200 && r.status < 300) acked.push({ p, result: await r.json() });
          } catch { /* connection cut by the kill: not acknowledged */ }
        }
      }
      const load = Promise.all(Array.from({ length: 32 }, submitter));
      await new Promise((r) => setTimeout(r, 30 + Math.random() * 120));
      killed = true;
      srv.proc.kill('SIGKILL');
      await load;
      await waitExit(srv.proc);
      integrity(DB);
      srv = await start(DB);
      for (const { p, result } of acked) {
        const g = await json(await fetch(`${srv.base}/api/attempts/${p.attempt}`, {
          headers: { authorization: `Bearer ${p.token}` } }));
        assert.equal(g.status, 200);
        assert.equal(g.body.status, 'submitted', `attempt ${p.attempt} acknowledged but not stored`);
        assert.equal(g.body.result.score, result.score);
        assert.deepEqual(g.body.answers, Object.fromEntries(
          Object.entries(p.answers).map(([k, v]) => [k, v])));
      }
      totalAcked += acked.length;
    }
    await stop(srv);
    assert.ok(totalAcked > 0, 'the load acknowledged nothing before the kills: the test tested nothing');
    integrity(DB);
  });

test('backup while serving is consistent, and a restore brings the data back',
  { timeout: 120_000 }, async () => {
    const db = join(dir, 'backup-src.db');
    const copy = join(dir, 'backup.db');
    let srv = await start(db);
    const before = await participants(srv.base, 60);
    // keep writing while the backup runs
    let stopLoad = false;
    const load = (async () => {
      while (!stopLoad) await participants(srv.base, 4);
    })();
    execFileSync(BIN, ['backup', '--db', db, copy], { encoding: 'utf8' });
    stopLoad = true;
    await load;
    const counts = integrity(copy);
    const n = Number(/participants: (\d+)/.exec(counts)[1]);
    assert.ok(n >= before.length, `backup has ${n} participants, ${before.length} were there before`);
    // submit one, then restore the copy taken before that submit
    const p = before[0];
    const sub = await json(await fetch(`${srv.base}/api/attempts/${p.attempt}/submit`, {
      method: 'POST', headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
      body: '{}' }));
    assert.equal(sub.status, 200);
    await stop(srv);
    for (const ext of ['', '-wal', '-shm']) if (existsSync(db + ext)) unlinkSync(db + ext);
    copyFileSync(copy, db);
    srv = await start(db);
    const g = await json(await fetch(`${srv.base}/api/attempts/${p.attempt}`, {
      headers: { authorization: `Bearer ${p.token}` } }));
    assert.equal(g.status, 200, 'a participant from the backup is known after the restore');
    assert.equal(g.body.status, 'open', 'the restored database is the one from before the submit');
    await stop(srv);
  });

test('SIGTERM during a submit load stops cleanly: every answer sent is kept, exit status 0',
  { timeout: 120_000 }, async () => {
    const db = join(dir, 'term.db');
    let srv = await start(db);
    const people = await participants(srv.base, 300);
    const acked = [];
    let i = 0;
    let stopping = false;
    async function submitter() {
      while (i < people.length) {
        const p = people[i++];
        try {
          const r = await fetch(`${srv.base}/api/attempts/${p.attempt}/submit`, {
            method: 'POST',
            headers: { authorization: `Bearer ${p.token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ answers: p.answers }) });
          const body = await r.json();
          if (r.status >= 200 && r.status < 300) acked.push({ p, result: body });
          else assert.ok(stopping && r.status === 503, `status ${r.status}: ${JSON.stringify(body)}`);
        } catch { /* refused or cut once the server stopped listening */ }
      }
    }
    const load = Promise.all(Array.from({ length: 64 }, submitter));
    await new Promise((r) => setTimeout(r, 40 + Math.random() * 60));
    stopping = true;
    const exit = new Promise((r) => srv.proc.once('exit', (code, signal) => r({ code, signal })));
    srv.proc.kill('SIGTERM');
    await load;
    const { code, signal } = await exit;
    assert.equal(signal, null, `the server died of ${signal}: ${srv.stderr()}`);
    assert.equal(code, 0, `exit status ${code}: ${srv.stderr()}`);
    assert.doesNotMatch(srv.stderr(), /Fatal|suspended connections/);
    assert.ok(acked.length > 0, 'nothing was acknowledged before the stop: the test tested nothing');
    integrity(db);
    srv = await start(db);
    for (const { p, result } of acked) {
      const g = await json(await fetch(`${srv.base}/api/attempts/${p.attempt}`, {
        headers: { authorization: `Bearer ${p.token}` } }));
      assert.equal(g.body.status, 'submitted', `attempt ${p.attempt} acknowledged but not stored`);
      assert.equal(g.body.result.score, result.score);
    }
    await stop(srv);
  });
