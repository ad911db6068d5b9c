// Connections: many keep-alive ones at once on a small server, and the
// per-address cap behind a proxy.
//
// Many keep-alive connections at once on a small server. libmicrohttpd's
// single internal thread (what a pool of one is) stopped answering API
// requests when exactly 256 keep-alive connections were busy: wrk's first
// 256 requests were answered, then none (250 and 260 connections were
// served at 150,000 req/s). The server now always runs a pool of at least
// two threads. Here a server started with --threads 1 must keep answering a
// closed loop on exactly 256 connections (and on 250 and 260 beside it).
// wrk drives it (scripts/test installs it): node's own client did not
// reproduce the stall.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer } from './lib.mjs';

const srv = await startServer({ args: ['--threads', '1'] });
const hasWrk = spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;

for (const n of [250, 256, 260]) {
  test(`${n} busy keep-alive connections for 1 s: the server keeps answering`, { timeout: 60000 }, () => {
    assert.ok(hasWrk, 'wrk is not installed (scripts/test installs it)');
    const out = spawnSync('wrk', ['-t1', `-c${n}`, '-d1s', '--timeout', '5s', `${srv.base}/healthz`],
      { encoding: 'utf8', timeout: 30000 });
    assert.equal(out.status, 0, out.stderr);
    const m = /(\d+) requests in/.exec(out.stdout);
    assert.ok(m, out.stdout);
    const done = Number(m[1]);
    // a stalled server answers each connection about once; a working one, hundreds of times
    assert.ok(done > n * 20, `${done} requests answered on ${n} connections in 1 s:\n${out.stdout}`);
    assert.ok(!/Non-2xx/.test(out.stdout), out.stdout);
  });
}

// Behind a proxy every connection comes from it: a per-address cap would cap
// all clients together. The server says so at start-up.
test('--per-ip-limit with --trusted-proxy: a warning that it caps all clients together', async () => {
  const proxied = await startServer({ args: ['--per-ip-limit', '8', '--trusted-proxy', '127.0.0.1', '--log-level', 'info'] });
  try {
    assert.match(proxied.stderr(), /--per-ip-limit 8 counts the connections of the proxy 127\.0\.0\.1 as one address/);
  } finally {
    await proxied.stop();
  }
});
