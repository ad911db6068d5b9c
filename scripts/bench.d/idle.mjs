// Opens N keep-alive connections to the server, sends one request on each,
// reads the answer and then stays idle; prints "held N" when all are open and
// holds them until stdin closes or HOLD_MS passes.  usage: node idle.mjs PORT N
import net from 'node:net';

const [port, nStr] = process.argv.slice(2);
const n = Number(nStr);
const hold = Number(process.env.HOLD_MS || 20000);
const socks = [];
let answered = 0;
let failed = 0;

function open() {
  return new Promise((resolve) => {
    const s = net.connect(Number(port), '127.0.0.1');
    s.setNoDelay(true);
    s.on('error', () => { failed++; resolve(); });
    s.on('connect', () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n'));
    s.once('data', () => { answered++; resolve(); });
    socks.push(s);
  });
}

for (let i = 0; i < n; i += 500) {
  await Promise.all(Array.from({ length: Math.min(500, n - i) }, open));
}
console.log(`held ${answered} answered=${answered} failed=${failed}`);
await new Promise((r) => setTimeout(r, hold));
socks.forEach((s) => s.destroy());
