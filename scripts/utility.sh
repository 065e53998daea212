#!/usr/bin/env bash
# utility.sh [BIN] [N] - what each disclosure policy lets a report show.
# Generates N (default 20) schools with seeded parameters (class size
# 60-400, 3-10 Match years, retake-after-pass 0-10%), reports each under
# every policy and prints, per policy: the share of headline figures shown
# (the match rates of all, failed first, failed then passed, low pass, low
# pass with and without a retake, above band, and the three comparisons; a
# coded rate, and a comparison given as the range its bound allows, count
# as shown), the share of all figures shown (counts and
# rates, "not enough data" left out), why each withheld headline figure was
# withheld, and the issue-13 targets under nces (every headline rate of a
# group of 20 or more shown; every comparison of two rates shown as values
# shown).  Group sizes come from a reference report at --min-cell 3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/ckcohort}
n=${2:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C
python3 - "$n" >"$tmp/schools" <<'PY'
import random, sys
rng = random.Random(2026)
for i in range(int(sys.argv[1])):
    size = rng.randint(60, 400)
    years = rng.randint(3, 10)
    rap = rng.randint(0, 10)
    print(1000 + i, size, 2027 - years, 2026, rap)
PY
while read -r seed size y0 y1 rap; do
  d=$tmp/s$seed
  "$bin" generate --seed "$seed" --class-size "$size" --years "$y0-$y1" \
    --retake-after-pass "$rap%" --out "$d" >/dev/null
  for p in nces strict; do
    "$bin" report --format json --privacy "$p" "$d"/*.csv >"$d.$p.json"
  done
  "$bin" report --format json --min-cell 3 "$d"/*.csv >"$d.ref.json"
  echo "$seed $size $y0-$y1 $rap%" >>"$tmp/list"
done <"$tmp/schools"
python3 - "$tmp" <<'PY'
import json, sys, collections
tmp = sys.argv[1]
HEAD = ["all", "failed_first", "failed_then_passed", "low_pass",
        "low_pass_no_retake", "low_pass_retook", "above_band"]
def figures(o, acc):
    if isinstance(o, dict):
        if "estimate" in o and "suppressed" in o:
            if o.get("reason") != "not_enough_data":
                acc[0] += 1
                acc[1] += (not o["suppressed"]) or o.get("reason") == "coded"
            return
        for k, v in o.items():
            if k.endswith("_suppressed") or k in ("year", "pass_mark", "id"):
                continue
            if isinstance(v, int) and not isinstance(v, bool) and \
               k in ("n", "matched", "unmatched", "missed", "with_target",
                     "with_program", "not_academic", "low_pass_no_retake",
                     "low_pass_retook", "failed_then_passed"):
                acc[0] += 1; acc[1] += 1
            elif v is None and (k + "_suppressed") in o:
                acc[0] += 1
            else:
                figures(v, acc)
    elif isinstance(o, list):
        for v in o:
            figures(v, acc)
schools = [l.split() for l in open(f"{tmp}/list")]
for p in ("nces", "strict"):
    hs = ht = 0
    allf = [0, 0]
    why = collections.Counter()
    miss = []
    for s in schools:
        seed = s[0]
        rep = json.load(open(f"{tmp}/s{seed}.{p}.json"))
        ref = json.load(open(f"{tmp}/s{seed}.ref.json"))
        size = {g["id"]: g.get("n") for g in ref["groups"]}
        G = {g["id"]: g for g in rep["groups"]}
        figures({k: rep[k] for k in ("groups", "comparisons", "by_specialty",
                                     "by_year", "matched_into",
                                     "matched_into_program_type")
                 if k in rep}, allf)
        state = {}
        for gid in HEAD:
            g, r = G[gid], G[gid]["match_rate"]
            if r.get("reason") == "not_enough_data":
                continue
            ht += 1
            ok = not r["suppressed"] or r.get("reason") == "coded"
            state[gid] = "value" if not r["suppressed"] else \
                         ("coded" if ok else "withheld")
            hs += ok
            if ok:
                continue
            sz = size.get(gid)
            if g.get("n") is None and sz is not None and sz < rep["settings"]["min_cell"]:
                why[f"{gid}: group below min_cell"] += 1
            elif g.get("n") is None:
                why[f"{gid}: group size withheld to protect another group"] += 1
            else:
                why[f"{gid}: its outcome counts withheld to protect another group"] += 1
            if p == "nces" and sz is not None and sz >= 20:
                miss.append(f"{seed}:{gid} (n {sz})")
        for c in rep["comparisons"]:
            if c.get("reason") == "not_enough_data":
                continue
            ht += 1
            # a comparison given as the range a coded bound allows counts
            # as shown, as the coded rate itself does
            shown = not c.get("suppressed", False) or c.get("difference_range") is not None
            hs += shown
            if shown:
                continue
            a, b = c.get("a"), c.get("b")
            st = [state.get(a, "?"), state.get(b, "?")] if a else []
            if st == ["value", "value"]:
                why[f"{c['id']}: withheld although both rates are shown"] += 1
                if p == "nces":
                    miss.append(f"{seed}:{c['id']}")
            elif "withheld" in st:
                why[f"{c['id']}: a rate is withheld"] += 1
            else:
                why[f"{c['id']}: a rate is shown only as a coded bound"] += 1
    print(f"== {p}: {len(schools)} schools")
    print(f"headline figures shown: {hs}/{ht} ({100.0*hs/max(ht,1):.1f}%)")
    print(f"all figures shown:      {allf[1]}/{allf[0]} ({100.0*allf[1]/max(allf[0],1):.1f}%)")
    for k, v in sorted(why.items()):
        print(f"  withheld {v:3d}x  {k}")
    if p == "nces":
        print(f"targets missed (headline rate of a group of 20+ withheld, or a "
              f"comparison of two shown rates withheld): {len(miss)}"
              + (": " + ", ".join(miss) if miss else ""))
PY
