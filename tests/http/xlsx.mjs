// A small XLSX reader for the tests: unzips with node's zlib (inflateRaw) and
// parses the workbook, its sheets (inline strings, shared strings, numbers)
// into arrays of rows. Enough for the files libxlsxwriter writes.
import zlib from 'node:zlib';

/** Map of file name -> Buffer for a zip archive (central directory driven). */
export function unzip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 70000); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a zip file: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let k = 0; k < count; k++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28);
    const xlen = buf.readUInt16LE(p + 30);
    const clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nlen);
    p += 46 + nlen + xlen + clen;
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + csize);
    files.set(name, method === 8 ? zlib.inflateRawSync(data) : method === 0 ? Buffer.from(data) : null);
  }
  return files;
}

const decode = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
  .replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
  .replace(/&amp;/g, '&');

function colIndex(ref) {
  const letters = /^[A-Z]+/.exec(ref)[0];
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** {sheets: [{name, rows: [[cell, ...], ...]}]}; numbers as numbers, blanks as null. */
export function readXlsx(buf) {
  const files = unzip(buf);
  const text = (n) => (files.get(n) ? files.get(n).toString('utf8') : '');
  const shared = [];
  for (const m of text('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)) {
    shared.push(decode([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((x) => x[1]).join('')));
  }
  const rels = new Map();
  for (const m of text('xl/_rels/workbook.xml.rels').matchAll(/<Relationship [^>]*>/g)) {
    const id = /Id="([^"]+)"/.exec(m[0])[1];
    const target = /Target="([^"]+)"/.exec(m[0])[1];
    rels.set(id, target.startsWith('/') ? target.slice(1) : 'xl/' + target);
  }
  const sheets = [];
  for (const m of text('xl/workbook.xml').matchAll(/<sheet [^>]*\/>/g)) {
    const name = decode(/name="([^"]*)"/.exec(m[0])[1]);
    const rid = /r:id="([^"]+)"/.exec(m[0])[1];
    const xml = text(rels.get(rid));
    const rows = [];
    for (const r of xml.matchAll(/<row [^>]*?(?:\/>|>([\s\S]*?)<\/row>)/g)) {
      const row = [];
      for (const c of (r[1] || '').matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const attrs = c[1];
        const body = c[2] || '';
        const ref = /r="([A-Z]+\d+)"/.exec(attrs)[1];
        const type = (/t="([^"]+)"/.exec(attrs) || [])[1];
        let v = null;
        if (type === 'inlineStr') v = decode([...body.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((x) => x[1]).join(''));
        else if (type === 's') v = shared[Number(/<v>([^<]*)<\/v>/.exec(body)[1])];
        else if (type === 'str') v = decode((/<v>([^<]*)<\/v>/.exec(body) || [])[1] || '');
        else { const mv = /<v>([^<]*)<\/v>/.exec(body); v = mv ? Number(mv[1]) : null; }
        row[colIndex(ref)] = v;
      }
      rows.push(Array.from(row, (x) => (x === undefined ? null : x)));
    }
    sheets.push({ name, rows });
  }
  return { sheets, files };
}
