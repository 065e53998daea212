#!/usr/bin/env python3
"""check_export.py DIR REPORT.json [--xlsx] - every number of the export
against `ckcohort report --format json` on the same inputs: each row is
looked up in the JSON; a value must equal the JSON number (rel. 1e-12: both
are written with 15 significant digits), an empty value must be null there,
and every withheld cell must say suppressed=true with the JSON reason.
With --xlsx the rows are read from DIR/summary.xlsx (one sheet per CSV
file, read with openpyxl) instead of the CSV files, and the workbook's own
promises are checked too: no formulas, a frozen header, every withheld
value cell shaded with a note, the About sheet's inputs and SHA-256 equal
to the JSON, and two native charts.  Prints the counts it checked."""
import csv, json, math, sys, zipfile

d, rep = sys.argv[1], json.load(open(sys.argv[2]))
XLSX = "--xlsx" in sys.argv[3:]
checked = empty = 0


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def same(csv_v, js_v, where):
    global checked, empty
    if csv_v == "":
        if js_v is not None:
            fail(f"{where}: empty in CSV but {js_v} in JSON")
        empty += 1
        return
    if js_v is None:
        fail(f"{where}: {csv_v} in CSV but null in JSON")
    x = float(csv_v)
    if not math.isclose(x, float(js_v), rel_tol=1e-12, abs_tol=1e-300):
        fail(f"{where}: CSV {csv_v} != JSON {js_v}")
    checked += 1


def est(row, obj, where):
    same(row["value"], obj["estimate"], where + " estimate")
    same(row["ci_low"], obj["ci_low"], where + " ci_low")
    same(row["ci_high"], obj["ci_high"], where + " ci_high")
    if row["suppressed"] != ("true" if obj["suppressed"] else "false"):
        fail(f"{where}: suppressed {row['suppressed']} vs {obj['suppressed']}")
    if obj["suppressed"] and row["reason"] != obj.get("reason"):
        fail(f"{where}: reason {row['reason']} vs {obj.get('reason')}")
    if "coded" in obj and row["note"] != obj["coded"]:
        fail(f"{where}: coded {row['note']} vs {obj['coded']}")


def scal(row, obj, key, where):
    same(row["value"], obj[key], where)
    if obj[key] is None:
        if row["suppressed"] != "true" or row["reason"] != obj[key + "_suppressed"]:
            fail(f"{where}: reason {row['reason']} vs {obj[key + '_suppressed']}")
    elif row["suppressed"] != "false":
        fail(f"{where}: shown value marked suppressed")
    if row["ci_low"] or row["ci_high"]:
        fail(f"{where}: scalar with an interval")


def plain(v):
    """Undo the formula neutralising (a quote before = + - @ tab CR)."""
    return v[1:] if v[:1] == "'" and v[1:2] in ("=", "+", "-", "@", "\t", "\r") else v


def rows(name):
    if XLSX:
        return sheet_rows(name[:-4])
    with open(f"{d}/{name}", newline="", encoding="utf-8-sig") as f:
        return [{k: plain(v) for k, v in r.items()} for r in csv.DictReader(f)]


book = None
withheld_cells = 0
if XLSX:
    import openpyxl
    book = openpyxl.load_workbook(f"{d}/summary.xlsx")


def cell_text(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        fail("boolean cell")
    if isinstance(v, (int, float)):
        return repr(float(v)) if isinstance(v, float) else str(v)
    return str(v)


def sheet_rows(name):
    global withheld_cells
    if name == "data_dictionary":
        ws = book["About"]
        # the dictionary is the last block of the About sheet, under its header
        cells = [[c.value for c in r] for r in ws.iter_rows()]
        start = max(i for i, r in enumerate(cells) if r[:2] == ["file", "column"])
        hdr = cells[start][:5]
        return [dict(zip(hdr, (cell_text(v) for v in r[:5]))) for r in cells[start + 1:]
                if any(v is not None for v in r[:5])]
    ws = book[name]
    if ws.freeze_panes != "A2":
        fail(f"{name}: header row not frozen ({ws.freeze_panes})")
    hdr = [c.value for c in ws[1]]
    if not ws[1][0].font.b:
        fail(f"{name}: header not bold")
    out = []
    for r in ws.iter_rows(min_row=2):
        for c in r:
            if c.data_type == "f":
                fail(f"{name}!{c.coordinate}: a formula")
        row = dict(zip(hdr, (cell_text(c.value) for c in r)))
        if row.get("suppressed") == "true":
            v = r[hdr.index("value")]
            if v.value is not None or v.comment is None or v.fill.fgColor.rgb in (None, "00000000"):
                fail(f"{name}!{v.coordinate}: withheld cell not empty, shaded and noted")
            withheld_cells += 1
        if row.get("measure", "").endswith("rate") or row.get("measure") in ("share_ge_20", "difference",
                                                                         "difference_range", "difference_range_ci"):
            v = r[hdr.index("value")]
            if v.value is not None and "%" not in v.number_format:
                fail(f"{name}!{v.coordinate}: proportion without a percent format")
        out.append(row)
    return out


groups = {g["id"]: g for g in rep["groups"]}
sub = {"with_target": ("matched_target", "with_target"), "matched_target": ("matched_target", "n"),
       "missed_target": ("matched_target", "missed"), "target_rate": ("matched_target", "rate"),
       "with_program": ("academic_share", "with_program"), "academic": ("academic_share", "n"),
       "not_academic": ("academic_share", "not_academic"), "academic_share": ("academic_share", "rate")}
n_rows = 0
for r in rows("groups.csv"):
    g, m, w = groups[r["row_id"]], r["measure"], "groups/" + r["row_id"] + "/" + r["measure"]
    if m in ("n", "matched", "unmatched"):
        scal(r, g, m, w)
    elif m == "match_rate":
        est(r, g[m], w)
    else:
        o, k = sub[m]
        (est(r, g[o][k], w) if k == "rate" else scal(r, g[o], k, w))
    n_rows += 1
if n_rows != 12 * len(groups):
    fail(f"groups.csv has {n_rows} rows")

cmp = {c["id"]: c for c in rep["comparisons"]}
for r in rows("comparisons.csv"):
    c, m, w = cmp[r["row_id"]], r["measure"], "comparisons/" + r["row_id"] + "/" + r["measure"]
    if m == "difference":
        est(r, c[m], w)
    elif m in ("difference_range", "difference_range_ci"):
        g = c["difference_range"]
        if g is None:
            fail(w + ": a range row but no difference_range in JSON")
            continue
        lo, hi = ("low", "high") if m == "difference_range" else ("ci_low", "ci_high")
        same(r["value"], None, w)
        same(r["ci_low"], g[lo], w)
        same(r["ci_high"], g[hi], w)
    elif m == "fisher_p":
        scal(r, c, m, w)
    else:
        o = c["odds_ratio"]
        same(r["value"], o["estimate"], w)
        same(r["ci_low"], o["ci_low"], w)
        same(r["ci_high"], o["ci_high"], w)
        if o["unbounded"] != ("unbounded" in r["note"]):
            fail(w + ": unbounded flag")

spec = {s["specialty"]: s for s in rep["by_specialty"]}
lp = {"low_pass_n": "n", "low_pass_matched": "matched", "low_pass_unmatched": "unmatched"}
seen = set()
for r in rows("by_specialty.csv"):
    s, m, w = spec[r["row_id"]], r["measure"], "by_specialty/" + r["row_id"] + "/" + r["measure"]
    seen.add(r["row_id"])
    if m in ("n", "matched", "unmatched"):
        scal(r, s, m, w)
    elif m == "match_rate":
        est(r, s[m], w)
    elif m == "matched_target":
        scal(r, s["matched_target"], "n", w)
    elif m == "missed_target":
        scal(r, s["matched_target"], "missed", w)
    elif m == "target_rate":
        est(r, s["matched_target"]["rate"], w)
    elif m in lp:
        scal(r, s["low_pass"], lp[m], w)
    elif m == "low_pass_match_rate":
        est(r, s["low_pass"]["match_rate"], w)
    else:
        fail(w + ": unknown measure")
    # a coded rate's note is its bound (checked by est), not the tier
    if r["reason"] != "coded" and (s["tier"] or "") not in r["note"]:
        fail(w + ": tier")
if seen != set(spec):
    fail("by_specialty.csv rows differ from JSON")

years = {str(y["year"]): y for y in rep["by_year"]}
for r in rows("by_year.csv"):
    m, w = r["measure"], r["table"] + "/" + r["row_id"] + "/" + r["measure"]
    if r["table"] == "trend":
        scal(r, rep["trend"], m, w)
    elif m == "match_rate":
        est(r, years[r["row_id"]][m], w)
    else:
        scal(r, years[r["row_id"]], m, w)

keys = ("low_pass_no_retake", "low_pass_retook", "failed_then_passed")
into = {"matched_into": {x["specialty"]: x for x in rep["matched_into"]},
        "matched_into_program_type": {x["program_type"]: x for x in rep["matched_into_program_type"]},
        "matched_into_totals": {"all_matched": rep["matched_into_totals"]}}
n_into = 0
for r in rows("matched_into.csv"):
    scal(r, into[r["table"]][r["row_id"]], r["measure"], "/".join((r["table"], r["row_id"], r["measure"])))
    n_into += 1
if n_into != 3 * sum(len(v) for v in into.values()):
    fail("matched_into.csv row count")

for r in rows("score_change.csv"):
    s, m, w = rep[r["table"]], r["measure"], "/".join((r["table"], r["row_id"], r["measure"]))
    if r["row_id"] != "summary":
        cat = {c["id"]: c for c in s["categories"]}[r["row_id"]]
        scal(r, cat, "n", w)
    elif m == "mean":
        est(r, s["mean"], w)
    elif m == "share_ge_20":
        est(r, s["share_ge_20_interval"], w)
        same(r["value"], s["share_ge_20"], w)
    else:
        scal(r, s, m, w)
        if m == "wilcoxon_p" and (s["wilcoxon_method"] or "") != r["note"]:
            fail(w + ": method")

n_pred = {}
for r in rows("practice_regression.csv"):
    g, m, w = rep[r["table"]], r["measure"], "/".join((r["table"], r["row_id"], r["measure"]))
    if r["row_id"] == "model":
        scal(r, g, m, w)
    else:
        p = {str(x["practice"]): x for x in g["predictions"]}[r["row_id"]]
        same(r["value"], p["estimate"], w)
        same(r["ci_low"], p["pi_low"], w)
        same(r["ci_high"], p["pi_high"], w)
        if p["extrapolated"] != r["note"].startswith("extrapolated"):
            fail(w + ": extrapolated flag")
        n_pred[r["table"]] = n_pred.get(r["table"], 0) + 1
for t in ("practice_regression", "practice_regression_all_retakers"):
    if n_pred.get(t, 0) != len(rep[t]["predictions"]):
        fail(t + ": prediction count")

adj = {a["id"]: a for a in rep["adjusted_comparisons"]}
n_adj = 0
for r in rows("adjusted.csv"):
    a, m, w = adj[r["row_id"]], r["measure"], "adjusted/" + r["row_id"] + "/" + r["measure"]
    lg, mh = a["logistic"], a["mantel_haenszel"]
    if m == "logistic_odds_ratio":
        est(r, lg["odds_ratio"], w)
    elif m in ("lrt_chi2", "lrt_p"):
        scal(r, lg, m, w)
    elif m == "mh_odds_ratio":
        est(r, mh["odds_ratio"], w)
    elif m in ("mh_chi2", "mh_p"):
        scal(r, mh, m[3:], w)
    elif m in ("breslow_day_chi2", "breslow_day_p"):
        scal(r, mh["breslow_day_tarone"], m[len("breslow_day_"):], w)
    else:
        fail(w + ": unknown measure")
    n_adj += 1
if n_adj != 8 * len(adj):
    fail(f"adjusted.csv has {n_adj} rows for {len(adj)} comparisons")

ins = {i["path"]: i for i in rep["inputs"]}
why = {x["reason"]: x["rows"] for x in rep["rejected_by"]}
n_rows = 0
for r in rows("rows.csv"):
    t, w = r["table"], "/".join((r["table"], r["row_id"], r["measure"]))
    if t == "rows":
        want = rep["rows"][r["row_id"]]
    elif t == "inputs":
        i = ins[r["row_id"]]
        want = i["rows" if r["measure"] == "read" else r["measure"]]
        if r["note"] != "sha256: " + i["sha256"]:
            fail(w + ": sha256")
    else:
        want = why[r["row_id"]]
    same(r["value"], want, w)
    n_rows += 1
if n_rows != len(rep["rows"]) + 4 * len(ins) + len(why):
    fail(f"rows.csv has {n_rows} rows")

dic = rows("data_dictionary.csv")
described = {(x["file"], x["column"]) for x in dic}
measures = [x["measure"] for x in dic if x["column"] == "measure" and x["measure"]]
if len(measures) != len(set(measures)):
    fail("data_dictionary.csv defines a measure twice")
for name in ("groups.csv", "comparisons.csv", "adjusted.csv", "by_specialty.csv", "by_year.csv",
             "matched_into.csv", "score_change.csv", "practice_regression.csv", "rows.csv"):
    for col in rows(name)[0].keys() if rows(name) else []:
        if ("(all summary files)", col) not in described:
            fail(f"data_dictionary.csv does not describe {name}:{col}")
if XLSX:
    about = [[c.value for c in r] for r in book["About"].iter_rows()]
    for i in rep["inputs"]:
        if [i["path"], i["sha256"]] not in [r[:2] for r in about]:
            fail(f"About sheet lacks input {i['path']} with its SHA-256")
    with zipfile.ZipFile(f"{d}/summary.xlsx") as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        shown = [g for g in rep["groups"] if g["match_rate"]["estimate"] is not None]
        want = (1 if shown else 0) + (1 if any(y["match_rate"]["estimate"] is not None
                                               for y in rep["by_year"]) else 0)
        if len(charts) != want:
            fail(f"{len(charts)} charts, expected {want}")
        for n in charts:
            if "Charts!" not in z.read(n).decode():
                fail(f"{n} does not draw from the Charts sheet")
    print(f"ok (workbook): {withheld_cells} withheld cells shaded with a note, {len(charts)} charts")
print(f"ok: {checked} numbers equal to the JSON report, {empty} empty cells null in JSON")
