#!/usr/bin/env bash
# Question banks, for scripts/bench: importing a bank of N questions (default 10,000) in
# each format (target: under 1 s each, the whole command: read, parse, check, look for
# duplicates in the stored banks, store), and regrading M final attempts (default
# 100,000) that all contain the corrected question (target: under 5 s).
#   scripts/bench.d/banks.sh BIN [N] [M]
# The attempts are synthetic, written by `cchc-quiz bench-seed` (benchmarks only).
set -euo pipefail
BIN=$1
NQ=${2:-10000}
NA=${3:-100000}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
W=$(mktemp -d /tmp/cchc-bench-banks.XXXXXX)
trap 'rm -rf "$W"' EXIT

ms() { date +%s%N | cut -c1-13; }

echo "==> question banks: a $NQ-question bank imported in each format"
node -e '
const n = Number(process.argv[1]);
const cats = ["the-che", "tthc", "bo-may", "cbccvc", "tai-chinh-cong", "hien-dai-hoa"];
const titles = ["Cải cách thể chế", "Cải cách thủ tục hành chính", "Cải cách tổ chức bộ máy",
  "Đội ngũ cán bộ, công chức, viên chức", "Cải cách tài chính công", "Hiện đại hóa hành chính"];
const qs = [];
for (let i = 0; i < n; i++) {
  const multi = i % 10 === 9;
  qs.push({ id: "b-" + i, category: cats[i % 6], difficulty: ["easy", "medium", "hard"][i % 3],
    track: ["both", "cbccvc", "citizen"][(i >> 1) % 3],
    text: "Câu hỏi đo tải số " + i + ": theo quy định, cơ quan nào chịu trách nhiệm về nội dung số " + (i * 7919 % 100003) + "?",
    options: ["Phương án thứ nhất của câu " + i, "Phương án thứ hai của câu " + i, "Phương án thứ ba của câu " + i, "Phương án thứ tư của câu " + i],
    correct: multi ? [0, 2] : i % 4,
    explanation: "Giải thích cho câu " + i + ": căn cứ Điều " + (i % 90 + 1) + " của văn bản.",
    source: { document: "Nghị định " + (i % 200 + 1) + "/2018/NĐ-CP", article: "Điều " + (i % 90 + 1) },
    tags: ["bench", cats[i % 6]] });
}
process.stdout.write(JSON.stringify({ format: "cchc-bank/1", id: "bench-10k", title: "Ngân hàng đo tải",
  version: 1, categories: cats.map((id, k) => ({ id, title: titles[k] })), questions: qs }, null, 1));
' "$NQ" > "$W/big.native"
CCHC_PASSWORD=mat-khau-rat-dai-123 "$BIN" user add --db "$W/empty.db" --role admin bench >/dev/null
cp "$W/empty.db" "$W/gen.db"
"$BIN" bank import --db "$W/gen.db" "$W/big.native" >/dev/null 2>&1
for f in gift aiken csv xml; do
  "$BIN" bank export --db "$W/gen.db" --bank bench-10k --format "$f" --out "$W/big.$f" 2>/dev/null
done
: > "$W/import.txt"
for f in native gift aiken csv xml; do
  cp "$W/empty.db" "$W/imp-$f.db"
  t0=$(ms)
  "$BIN" bank import --db "$W/imp-$f.db" --format "$f" --id bench-10k --title "Ngân hàng đo tải" \
    "$W/big.$f" > "$W/imp-$f.out" 2>&1 || { cat "$W/imp-$f.out"; exit 1; }
  t1=$(ms)
  stored=$(sqlite3 "$W/imp-$f.db" "SELECT count(*) FROM questions")
  size=$(stat -c %s "$W/big.$f")
  printf '   import %-7s %6d questions, %5d KiB: %5d ms\n' "$f" "$stored" $((size / 1024)) $((t1 - t0)) | tee -a "$W/import.txt"
  [ "$stored" -eq "$NQ" ] || { echo "import $f stored $stored questions, expected $NQ" >&2; exit 1; }
done
t0=$(ms)
"$BIN" bank validate "$W/big.gift" >/dev/null 2>&1
t1=$(ms)
printf '   validate gift (no database): %d ms\n' $((t1 - t0))

echo "==> regrade: $NA final attempts containing the corrected question"
cp "$W/empty.db" "$W/rg.db"
"$BIN" bank import --db "$W/rg.db" "$ROOT"/question-banks/*.json >/dev/null 2>&1
"$BIN" contest load --db "$W/rg.db" "$HERE/contest.json" >/dev/null
Q=$(sqlite3 "$W/rg.db" "SELECT min(id) FROM questions WHERE category = 'the-che' AND multi = 0")
t0=$(ms)
"$BIN" bench-seed --db "$W/rg.db" --contest bench --round r1 --attempts "$NA" --include "$Q" >/dev/null
t1=$(ms)
echo "   seeded $NA attempts in $((t1 - t0)) ms"
KEY=$(sqlite3 "$W/rg.db" "SELECT CASE WHEN correct_mask = 1 THEN 1 ELSE 0 END FROM questions WHERE id = $Q")
t0=$(ms)
"$BIN" regrade --db "$W/rg.db" --question "$Q" --key "$KEY" --dry-run > "$W/dry.out"
t1=$(ms)
"$BIN" regrade --db "$W/rg.db" --question "$Q" --key "$KEY" > "$W/real.out"
t2=$(ms)
head -1 "$W/real.out" | sed 's/^/   /'
grep -E '^  round' "$W/real.out" | sed 's/^/ /'
printf '   regrade %d attempts: dry run %d ms, confirmed %d ms (whole command; target < 5000)\n' \
  "$NA" $((t1 - t0)) $((t2 - t1))
audit=$(sqlite3 "$W/rg.db" "SELECT count(*) FROM audit_log WHERE action = 'regrade'")
[ "$audit" -eq 1 ] || { echo "expected one regrade audit entry, found $audit" >&2; exit 1; }
