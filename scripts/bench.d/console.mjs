// Times the consoles' reads on a seeded database (scripts/bench --console):
// the top-100 boards, the unit table, a round's question statistics and the
// full XLSX export. Prints "RESULT name median_ms p95_ms n extra" lines.
//   usage: node console.mjs BASE CONTEST ROUND USER PASSWORD
const [base, contest, round, user, password] = process.argv.slice(2);

const login = await fetch(`${base}/api/auth/login`, {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: user, password }),
});
if (login.status !== 200) throw new Error(`login ${login.status}`);
const cookie = /cchc_session=[0-9a-f]+/.exec(login.headers.get('set-cookie'))[0];

async function timed(path, { read = true } = {}) {
  const t0 = process.hrtime.bigint();
  const r = await fetch(base + path, { headers: { cookie } });
  let bytes = 0;
  if (read) for await (const chunk of r.body) bytes += chunk.length;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
  return { ms, bytes };
}

async function series(name, path, n, extra = '') {
  await timed(path); // warm the reader's statements
  const v = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const t = await timed(path);
    v.push(t.ms);
    bytes = t.bytes;
  }
  v.sort((a, b) => a - b);
  const med = v[Math.floor(v.length / 2)];
  const p95 = v[Math.min(v.length - 1, Math.floor(v.length * 0.95))];
  console.log(`RESULT ${name} ${med.toFixed(2)} ${p95.toFixed(2)} ${n} ${bytes}B${extra}`);
}

await series('board_round_judge_top100', `/api/admin/rounds/${round}/results?limit=100`, 50);
await series('board_round_public_top100', `/api/rounds/${round}/leaderboard?limit=100`, 50);
await series('board_round_track_top100', `/api/admin/rounds/${round}/results?limit=100&track=citizen`, 50);
await series('board_contest_top100', `/api/admin/contests/${contest}/board?limit=100`, 50);
await series('unit_table', `/api/contests/${contest}/units`, 50);
await series('question_stats_round', `/api/admin/rounds/${round}/stats`, 3);
const x = await timed(`/api/admin/exports/all?contest=${contest}&format=xlsx`);
console.log(`RESULT export_all_xlsx ${x.ms.toFixed(0)} ${x.ms.toFixed(0)} 1 ${x.bytes}B`);
