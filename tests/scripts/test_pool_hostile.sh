#!/usr/bin/env bash
# test_pool_hostile.sh BIN SRCDIR - a summary comes from another school: pool
# must refuse a damaged one (truncated; a value of the wrong type, negative,
# huge or out of range in any table) with exit 2 and a message, pool it
# when it is still consistent, or stop with exit 3 (nothing published)
# when its counts leave the privacy check unfinished; never crash (any
# other exit fails, and in
# the sanitizer tree ASan/UBSan reports fail too).  Seeded, 80 mutations.
set -eu
bin=$1
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
"$bin" generate --school-profile small --id-prefix N --seed 5 --out north \
  --retake-after-pass 0.3 >/dev/null
"$bin" summarize -o north.json north/*.csv
python3 - "$bin" <<'PY'
import json, random, subprocess, sys
random.seed(6)
src = open("north.json").read()
codes, bad = {}, 0
for i in range(80):
    s = json.loads(src)
    if i % 4 == 0:
        txt = src[:random.randrange(len(src))]
    else:
        tab = random.choice(["counts", "score_change", "design",
                             "practice_pairs", "specialties", "inputs"])
        if s[tab]:
            row = random.choice(s[tab])
            if isinstance(row, list):
                j = random.randrange(len(row))
                row[j] = random.choice([-1, 0, 10**12, "x", None, 2.5, -300,
                                        301, 5000])
            else:
                k = random.choice(list(row))
                row[k] = random.choice([-1, 0, 10**12, "x", None])
        txt = json.dumps(s)
    open("m.json", "w").write(txt)
    r = subprocess.run([sys.argv[1], "pool", "--format", "json", "m.json"],
                       capture_output=True, text=True)
    codes[r.returncode] = codes.get(r.returncode, 0) + 1
    # 3: counts that contradict each other leave the privacy check
    # unfinished, and nothing is published (fail closed)
    if (r.returncode not in (0, 2, 3) or "Sanitizer" in r.stderr or
            (r.returncode == 3 and "nothing was published" not in r.stderr) or
            "runtime error" in r.stderr or
            (r.returncode == 2 and "m.json" not in r.stderr)):
        bad += 1
        print("FAIL mutation", i, r.returncode, r.stderr[:300])
print("exit codes:", codes)
sys.exit(1 if bad else 0)
PY
echo ok
