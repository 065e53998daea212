#!/usr/bin/env bash
# test_generate_calibration.sh BIN SRCROOT - a generated cohort of 10 years x
# 150 applicants must land near the national figures in docs/generate.md:
# first-attempt fail rate 1-6%, low-pass share 5-15%, match rate 88-97%,
# and the above-band group matching more often than low pass or failed first.
set -euo pipefail
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" generate --seed 11 --years 2017-2026 --class-size 150 --out "$tmp" >/dev/null
python3 - "$tmp" <<'PY'
import csv, glob, sys, datetime
def mark(d):
    d = datetime.date.fromisoformat(d)
    return 209 if d < datetime.date(2022, 7, 1) else 214 if d < datetime.date(2025, 7, 1) else 218
n = fail = low = 0
grp = {}
for path in sorted(glob.glob(sys.argv[1] + "/class-*.csv")):
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            n += 1
            s, pm = int(r["step2_attempt_1"]), mark(r["step2_date_1"])
            if s < pm:
                fail += 1
                last = max(k for k in range(1, 5) if r[f"step2_attempt_{k}"])
                g = "failed_then_passed" if int(r[f"step2_attempt_{last}"]) >= mark(r[f"step2_date_{last}"]) else "failed_never_passed"
            elif s <= pm + 6:
                low += 1; g = "low_pass"
            else:
                g = "above_band"
            for key in (g, "all"):
                t = grp.setdefault(key, [0, 0])
                t[0] += 1; t[1] += r["matched"] == "Y"
rate = {k: v[1] / v[0] for k, v in grp.items()}
print(f"n={n} fail={fail/n:.3f} low_pass={low/n:.3f} " +
      " ".join(f"{k}={v[1]}/{v[0]}={rate[k]:.3f}" for k, v in sorted(grp.items())))
ok = True
def need(cond, what):
    global ok
    if not cond:
        print("FAIL:", what); ok = False
need(0.01 <= fail / n <= 0.06, "fail rate 1-6%")
need(0.05 <= low / n <= 0.15, "low-pass share 5-15%")
need(0.88 <= rate["all"] <= 0.97, "match rate 88-97%")
need(rate["above_band"] > max(rate["low_pass"], rate["failed_then_passed"]), "above band matches most often")
sys.exit(0 if ok else 1)
PY
