// Holds N server-sent-event streams of a board open (raw sockets, one GET each)
// and counts the board events each one receives. Prints "held N" once all are
// streaming; on SIGTERM (or after HOLD_MS) prints one JSON line of totals.
//   usage: node viewers.mjs PORT PATH N
import net from 'node:net';

const [port, path, nStr] = process.argv.slice(2);
const n = Number(nStr);
const hold = Number(process.env.HOLD_MS || 600000);
const socks = [];
const counts = new Array(n).fill(0);
const lastAt = new Array(n).fill(0);
let streaming = 0;
let failed = 0;
let closed = 0;
let resetAt = 0;

function open(i) {
  return new Promise((resolve) => {
    const s = net.connect(Number(port), '127.0.0.1');
    let started = false;
    let tail = '';
    s.setEncoding('utf8');
    s.on('error', () => { failed++; resolve(); });
    s.on('close', () => { closed++; });
    s.on('connect', () => s.write(`GET ${path} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n`));
    s.on('data', (d) => {
      const text = tail + d;
      if (!started && text.includes('event: board')) { started = true; streaming++; resolve(); }
      const k = text.split('event: board').length - 1;
      if (k && Date.now() >= resetAt) { counts[i] += k; lastAt[i] = Date.now(); }
      tail = text.slice(-16);
    });
    socks.push(s);
  });
}

for (let i = 0; i < n; i += 100) {
  await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, k) => open(i + k)));
}
console.log(`held ${streaming} streaming, ${failed} failed`);

function report() {
  const sorted = counts.slice().sort((a, b) => a - b);
  const total = counts.reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ viewers: n, streaming, failed, closed, events: total,
    per_viewer_min: sorted[0], per_viewer_median: sorted[Math.floor(n / 2)], per_viewer_max: sorted[n - 1] }));
  socks.forEach((s) => s.destroy());
  process.exit(0);
}
// SIGUSR1 starts counting afresh (after the first snapshot each stream gets)
process.on('SIGUSR1', () => { resetAt = Date.now(); counts.fill(0); });
process.on('SIGTERM', report);
setTimeout(report, hold);
