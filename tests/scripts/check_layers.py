#!/usr/bin/env python3
"""check_layers.py SRCDIR - the include graph points one way (README,
"Architecture").  Public headers sit in layers and include only lower
layers; configuration knows nothing of the model or the report; renderers
see only the report model; GSL and GLPK stay in the analysis and
suppression modules; the command layer includes only public headers.
Prints every violation and exits 1 if there is one."""
import glob, os, re, sys

src = sys.argv[1]
LAYER = {  # public header -> layer (lower layers know nothing of higher)
    "version.h": -1, "ckcohort.h": 0, "alloc.h": 0,
    "config.h": 1, "groups.h": 1, "stats.h": 1, "output.h": 1,
    "ingest.h": 2, "generate.h": 2,
    "classify.h": 3,
    "report.h": 4,
    "summary.h": 5, "ledger.h": 5,
    "adjust.h": 6, "analyse.h": 6,
    "render.h": 7, "export.h": 7, "ask.h": 7, "pool.h": 7,
}
bad = []
inc = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)


def includes(path):
    return inc.findall(open(path, encoding="utf-8").read())


def public(name):
    return name[len("ckcohort/"):] if name.startswith("ckcohort/") else None


for h in sorted(glob.glob(f"{src}/include/ckcohort/*.h")) + \
         sorted(glob.glob(f"{src}/include/ckcohort/*.h.in")):
    me = os.path.basename(h).replace(".h.in", ".h")
    if me not in LAYER:
        bad.append(f"{h}: not in the layer table of tests/scripts/check_layers.py")
        continue
    for i in includes(h):
        p = public(i)
        if p is None:
            continue
        if p not in LAYER:
            bad.append(f"{h}: includes unknown header {i}")
        elif LAYER[p] >= LAYER[me] and p != me:
            bad.append(f"{h} (layer {LAYER[me]}) includes {i} (layer {LAYER[p]})")

RULES = [  # (files, forbidden include pattern, why)
    ("src/config*.c", r"ckcohort/(ingest|classify|report|adjust|analyse|render|export|ask)\.h",
     "configuration knows nothing of the data, the model or the outputs"),
    ("src/classify.c", r"ckcohort/(report|adjust|analyse|render|export|ask)\.h",
     "classification comes before the report model"),
    ("src/render*.c", r"^(gsl/|glpk\.h|csv\.h|ckcohort/(ingest|classify|adjust|analyse)\.h)",
     "renderers format the report model only"),
    ("src/export*.c", r"^(gsl/|glpk\.h|ckcohort/(ingest|classify|adjust|analyse)\.h)",
     "export formats the report model only"),
    ("src/*.c", r"^gsl/", "GSL only in the analysis module (and the generator's RNG)"),
    ("src/*.c", r"^glpk\.h", "GLPK only in the suppression engine and the model checks"),
    ("src/cli/*.c", r"^(util|schema|render_util|ask_grid|xlsx)\.h$",
     "the command layer uses the public API only"),
]
ALLOWED = {  # exceptions to the broad rules, each with its reason
    r"^gsl/": {"analyse.c", "analyse_adjust.c", "analyse_stats.c", "analyse_meta.c",
               "generate.c", "init.c"},
    r"^glpk\.h": {"suppress.c", "analyse.c", "analyse_adjust.c", "init.c"},  # adjust: separation LP
}
for pattern, forbidden, why in RULES:
    rx = re.compile(forbidden)
    for f in sorted(glob.glob(f"{src}/{pattern}")):
        if os.path.basename(f) in ALLOWED.get(forbidden, ()):
            continue
        for i in includes(f):
            if rx.search(i):
                bad.append(f"{os.path.relpath(f, src)}: includes {i}: {why}")
for b in bad:
    print("FAIL:", b)
if bad:
    sys.exit(1)
n = len(glob.glob(f"{src}/src/*.c")) + len(glob.glob(f"{src}/src/cli/*.c"))
print(f"ok: {len(LAYER)} public headers in 10 layers, {n} sources, {len(RULES)} rules")
