#!/usr/bin/python3
"""attack_fixture_all_fm.py REPORT.json IN_DIR OUT_DIR - a hand-made cohort
for leak 4 (an outcome every member shares): copies the CSVs of IN_DIR and
sends every matched failed-then-passed applicant (first score below the pass
mark in force on its date, per the report's settings.pass_marks; a later
attempt) to a community Family Medicine program.  The report of OUT_DIR
must then not say that all of them matched into Family Medicine, nor that
0% went to academic programs."""
import csv, glob, json, os, sys

rep, src, dst = sys.argv[1:4]
marks = sorted((m["from"], m["mark"]) for m in json.load(open(rep))["settings"]["pass_marks"])
os.makedirs(dst, exist_ok=True)
changed = 0
for path in sorted(glob.glob(os.path.join(src, "*.csv"))):
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0].keys()) if rows else []
    for r in rows:
        date, s1, s2 = r["step2_date_1"], r["step2_attempt_1"], r["step2_attempt_2"]
        if not (date and s1 and s2) or r["matched"] != "Y":
            continue
        mark = [m for f, m in marks if f <= date][-1]
        if int(s1) < mark:
            r["target_specialty"] = r["matched_specialty"] = "Family Medicine"
            r["program_type"] = "community"
            changed += 1
    with open(os.path.join(dst, os.path.basename(path)), "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
print(f"fixture: {changed} matched failed-then-passed applicants sent to community Family Medicine")
