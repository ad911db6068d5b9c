// Registers N participants in the bench contest and starts one attempt each
// (with ROUND "-", registers only), over HTTP with keep-alive and bounded
// concurrency. Writes "token attempt_id first_question_id" lines ("token 0 0" when not started)
// to OUT.  usage: node seed.mjs BASE CONTEST ROUND N OUT [FIRST]
import { writeFileSync } from 'node:fs';

const [base, contest, round, nStr, out, firstStr] = process.argv.slice(2);
const first = Number(firstStr || 0);
const n = Number(nStr);
const concurrency = 256;
const lines = new Array(n);
let next = 0;
let failures = 0;

async function one(i) {
  const phone = '09' + String(10000000 + first + i).padStart(8, '0');
  let r = await fetch(`${base}/api/contests/${contest}/participants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ full_name: `Người thử tải ${i}`, unit_id: 'so-noi-vu', phone,
                           track: 'cbccvc', consent: true }),
  });
  if (r.status !== 201) throw new Error(`register ${r.status} ${await r.text()}`);
  const { token } = await r.json();
  if (round === '-') {
    lines[i] = `${token} 0 0`;
    return;
  }
  r = await fetch(`${base}/api/rounds/${round}/attempts`, {
    method: 'POST', headers: { authorization: `Bearer ${token}` },
  });
  if (r.status !== 201) throw new Error(`start ${r.status} ${await r.text()}`);
  const a = await r.json();
  lines[i] = `${token} ${a.attempt_id} ${a.questions[0].id}`;
}

async function worker() {
  while (next < n) {
    const i = next++;
    try { await one(i); } catch (e) { if (failures++ < 5) console.error(String(e)); }
  }
}

const t0 = Date.now();
await Promise.all(Array.from({ length: concurrency }, worker));
const secs = (Date.now() - t0) / 1000;
writeFileSync(out, lines.filter(Boolean).join('\n') + '\n');
console.log(`seeded ${n - failures} participants+attempts in ${secs.toFixed(1)} s ` +
            `(${((n - failures) * 2 / secs).toFixed(0)} writes/s over HTTP), ${failures} failures`);
if (failures) process.exit(1);
