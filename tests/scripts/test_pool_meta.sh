#!/usr/bin/env bash
# test_pool_meta.sh BIN SRCDIR - the "Across schools" figures of `pool`
# against R, live: per school the 2x2 table of each headline comparison
# (from the schools' summaries), then in R
#   library(metafor)
#   f <- rma(measure = "OR", ai = ai, bi = bi, ci = ci, di = di,
#            method = "DL")      # and method = "REML"
#   p <- predict(f)
#   mantelhaen.test(array(rbind(ai, ci, bi, di), c(2, 2, k)),
#                   correct = FALSE)
# over the schools whose row pool shows; every recorded value (b, se, pval,
# ci.lb, ci.ub, tau2, I2, H2, QE, QEp, pi.lb, pi.ub; MH estimate, interval,
# statistic, p) must agree to 1e-6.  Skipped (77) without R's metafor.
# (tests/unit/test_meta.c holds fixed tables with R's numbers pasted.)
set -eu
bin=$1 src=$2
command -v Rscript >/dev/null || exit 77
Rscript -e 'suppressMessages(library(metafor))' 2>/dev/null || exit 77
export LC_ALL=C SOURCE_DATE_EPOCH=1700000000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$tmp"

i=0
for prof in large large "do" large large "do"; do
  i=$((i + 1))
  "$bin" generate --school-profile $prof --class-size 300 --id-prefix K$i \
    --seed $((40 + i)) --retake-after-pass 0.5 --out s$i >/dev/null
  "$bin" summarize --school "school $i" -o s$i.json s$i/*.csv
done
"$bin" pool --format json s?.json -o pool.json
"$bin" pool --format json --anonymise --seed 7 s?.json -o anon.json

python3 - <<'PY' >tables.tsv || fail "tables"
import json
pool = json.load(open("pool.json"))["consortium"]
groups = {"low_pass_retook": lambda l: l.startswith("low_pass_retook"),
          "low_pass_no_retake": lambda l: l == "low_pass_no_retake",
          "low_pass": lambda l: l.startswith("low_pass"),
          "failed_then_passed": lambda l: l == "failed_then_passed"}
shown_any = 0
for c in pool["comparisons"]:
    for i, row in enumerate(c["schools"]):
        if not row["shown"]:
            continue
        s = json.load(open("s%d.json" % (i + 1)))
        t = []
        for g in (c["a"], c["b"]):
            m = sum(x[7] for x in s["counts"] if groups[g](x[1]) and x[3] == 1)
            u = sum(x[7] for x in s["counts"] if groups[g](x[1]) and x[3] == 0)
            t += [m, u]
        print(c["id"], *t, sep="\t")
PY
[ -s tables.tsv ] || fail "no school row is shown"

cat >check.R <<'RS'
suppressMessages(library(metafor))
library(jsonlite)
tab <- read.table("tables.tsv", sep = "\t",
                  col.names = c("id", "ai", "bi", "ci", "di"))
pool <- fromJSON("pool.json", simplifyVector = FALSE)$consortium
bad <- 0
near <- function(got, want, what) {
  scale <- max(1, abs(want))
  if (is.null(got) || abs(got - want) > 1e-6 * scale) {
    cat("MISMATCH", what, got, want, "\n"); bad <<- bad + 1
  }
}
checked <- 0
for (c in pool$comparisons) {
  t <- tab[tab$id == c$id, ]
  if (is.null(c$reml)) next
  k <- nrow(t)
  if (k != c$k) { cat("MISMATCH k", c$id, "\n"); bad <- bad + 1; next }
  for (m in c("DL", "REML")) {
    f <- rma(measure = "OR", ai = t$ai, bi = t$bi, ci = t$ci, di = t$di,
             method = m)
    p <- predict(f)
    j <- if (m == "DL") c$dersimonian_laird else c$reml
    w <- paste(c$id, m)
    near(j$log_odds_ratio, f$b[1], paste(w, "b"))
    near(j$se, f$se, paste(w, "se"))
    near(j$p, f$pval, paste(w, "pval"))
    near(log(j$odds_ratio$ci_low), f$ci.lb, paste(w, "ci.lb"))
    near(log(j$odds_ratio$ci_high), f$ci.ub, paste(w, "ci.ub"))
    near(j$tau2, f$tau2, paste(w, "tau2"))
    near(j$i2_percent, f$I2, paste(w, "I2"))
    near(j$h2, f$H2, paste(w, "H2"))
    near(c$heterogeneity$q, f$QE, paste(w, "QE"))
    near(c$heterogeneity$p, f$QEp, paste(w, "QEp"))
    near(log(j$prediction_interval$low), p$pi.lb, paste(w, "pi.lb"))
    near(log(j$prediction_interval$high), p$pi.ub, paste(w, "pi.ub"))
  }
  mh <- mantelhaen.test(array(rbind(t$ai, t$ci, t$bi, t$di), c(2, 2, k)),
                        correct = FALSE)
  near(c$mantel_haenszel$odds_ratio$estimate, unname(mh$estimate), "MH or")
  near(c$mantel_haenszel$odds_ratio$ci_low, mh$conf.int[1], "MH lo")
  near(c$mantel_haenszel$odds_ratio$ci_high, mh$conf.int[2], "MH hi")
  near(c$mantel_haenszel$chi2, unname(mh$statistic), "MH chi2")
  near(c$mantel_haenszel$p, mh$p.value, "MH p")
  checked <- checked + 1
  cat(c$id, "k =", k, "REML tau2 =", f$tau2, "\n")
}
if (checked == 0) { cat("nothing pooled\n"); quit(status = 1) }
quit(status = if (bad) 1 else 0)
RS
Rscript check.R || fail "pool differs from metafor / mantelhaen.test"

# Anonymised: School A.. in a seeded order, the same figures.
python3 - <<'PY' || fail "anonymise"
import json
a = json.load(open("pool.json"))["consortium"]
b = json.load(open("anon.json"))["consortium"]
assert b["anonymised"] and sorted(b["schools"]) == ["School " + x for x in "ABCDEF"]
assert not any(n.startswith("school ") for n in json.dumps(b).split('"'))
def close(u, v):  # the schools' order changes sums in the last digits
    if isinstance(u, dict):
        return u.keys() == v.keys() and all(close(u[k], v[k]) for k in u)
    if isinstance(u, float):
        return abs(u - v) <= 1e-12 * max(1, abs(u))
    return u == v
for x, y in zip(a["comparisons"], b["comparisons"]):
    for k in ("dersimonian_laird", "reml", "mantel_haenszel"):
        assert close(x.get(k), y.get(k)), k
    ox = sorted(json.dumps(r.get("odds_ratio"), sort_keys=True) for r in x["schools"])
    oy = sorted(json.dumps(r.get("odds_ratio"), sort_keys=True) for r in y["schools"])
    assert ox == oy
# the letters are not in the input order for this seed
order = [r.get("odds_ratio") for r in b["comparisons"][1]["schools"]]
assert order != [r.get("odds_ratio") for r in a["comparisons"][1]["schools"]]
PY
echo ok
