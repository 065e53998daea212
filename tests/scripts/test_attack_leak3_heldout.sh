#!/usr/bin/env bash
# test_attack_leak3_heldout.sh BIN SRCROOT - issue 12, leak 3, on cohorts
# the fix was not made on (a held-out run of 2026-12-01): a sweep of ask
# sheets (first scores pass-11, -1, +0, +3, +8, +20 x no specialty and
# every specialty) read with the report, judged as in
# test_attack_leak3_ask_minus_report.sh.  Found on 2026-12-01, before the
# grid's program took in the report's own relations:
#   seed 44, 60 a class, 15% retakes after a pass, strict: two tiers'
#     "did not retake, above pass+6" groups with the report's rows bounded
#     failed-never-passed to 1..4 (now clean: the check knows the report's
#     sums and that a withheld group has a member);
#   seed 63, 100 a class, nces: the sheets pinned the coded low-pass
#     matched count (64) and a few withheld above-band and matched-into
#     counts (now clean: the grid had no cell for a combination nobody is
#     in, so its program knew those counts were 0 where a reader does not,
#     and took the sheets' narrowing for the report's own; the groups
#     nobody is in are now columns of the programs, docs/privacy.md
#     section 5).
# Seeds 31 (150 a class) and 52 (400) find nothing under either policy.
source "$(dirname "$0")/attack_lib.sh"

source "$(dirname "$0")/attack_leak3_lib.sh"

# every band by hand (ATTACK_FULL=1); the test command asks three
offs="-1 0 8"
[ "$full" = 1 ] && offs="-11 -1 0 3 8 20"
for spec in "44 60 0.15 strict" "63 100 0 nces"; do
  set -- $spec
  "$bin" generate --seed $1 --class-size $2 --retake-after-pass $3 --out "$tmp/h$1" >/dev/null
  case_run leak3-heldout-seed$1-size$2-$4 sweep h$1-$4 $4 11 "$offs" "$tmp"/h$1/*.csv
done
finish
