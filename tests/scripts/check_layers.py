#!/usr/bin/env python3
"""check_layers.py SRCDIR - the include graph points one way (README,
"Architecture").  Public headers sit in layers and include only lower
layers; configuration knows nothing of the model or the report; renderers
see only the report model; GSL and GLPK stay in the analysis and
suppression modules; the command layer and the installed headers include
no header of src/; README's "Library" list equals include/ckcohort/.
Prints every violation and exits 1 if there is one."""
import glob, os, re, sys

src = sys.argv[1]
LAYER = {  # public header -> layer (lower layers know nothing of higher)
    "version.h": -1, "ckcohort.h": 0, "alloc.h": 1,
    "config.h": 1, "groups.h": 1, "output.h": 1,
    "ingest.h": 2, "generate.h": 2,
    "report.h": 4,
    "summary.h": 5, "ledger.h": 5,
    "analyse.h": 5,
    "render.h": 6, "export.h": 6, "ask.h": 6, "pool.h": 6,
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

# The library's own headers (src/*.h): never seen by a client program.
PRIVATE = "^(" + "|".join(re.escape(os.path.basename(h))
                          for h in sorted(glob.glob(f"{src}/src/*.h"))) + ")$"
RULES = [  # (files, forbidden include pattern, why)
    ("src/config*.c", r"^(ckcohort/(ingest|report|analyse|render|export|ask)|cohort|classify|adjust|stats|report_model|ask_model)\.h$",
     "configuration knows nothing of the data, the model or the outputs"),
    ("src/classify.c", r"^(ckcohort/(report|analyse|render|export|ask)|adjust|report_model|ask_model)\.h$",
     "classification comes before the report model"),
    ("src/render*.c", r"^(gsl/|glpk\.h|csv\.h|(ckcohort/(ingest|analyse)|cohort|classify|adjust|stats)\.h$)",
     "renderers format the report model only"),
    ("src/export*.c", r"^(gsl/|glpk\.h|(ckcohort/(ingest|analyse)|cohort|classify|adjust|stats)\.h$)",
     "export formats the report model only"),
    ("src/re*.h", r"^(ckcohort/(ingest|analyse)|cohort|classify|adjust|stats)\.h$",
     "the report model and the renderers' helpers know nothing of the cohort"),
    ("src/*.c", r"^gsl/", "GSL only in the analysis module (and the generator's RNG)"),
    ("src/*.c", r"^glpk\.h", "GLPK only in the suppression engine and the model checks"),
    ("src/cli/*", PRIVATE, "the command layer uses the public API only"),
    ("include/ckcohort/*.h", PRIVATE, "an installed header cannot include one from src/"),
]
ALLOWED = {  # exceptions to the broad rules, each with its reason
    r"^gsl/": {"analyse.c", "analyse_adjust.c", "analyse_stats.c", "analyse_meta.c",
               "generate.c", "init.c"},
    r"^glpk\.h": {"suppress.c", "ask_check.c", "analyse.c", "analyse_adjust.c", "init.c"},  # adjust: separation LP
}
for pattern, forbidden, why in RULES:
    rx = re.compile(forbidden)
    for f in sorted(glob.glob(f"{src}/{pattern}")):
        if os.path.basename(f) in ALLOWED.get(forbidden, ()):
            continue
        for i in includes(f):
            if rx.search(i):
                bad.append(f"{os.path.relpath(f, src)}: includes {i}: {why}")
# README's "Library" section lists the installed headers, one per line as
# "- `ckcohort/NAME.h`": that list and include/ckcohort/ must agree.
readme = open(f"{src}/README.md", encoding="utf-8").read()
m = re.search(r"^## Library\n(.*?)(?=^## )", readme, re.M | re.S)
if not m:
    bad.append("README.md: no \"## Library\" section listing the public headers")
else:
    listed = set(re.findall(r"^- `ckcohort/([a-z_]+\.h)`", m.group(1), re.M))
    present = {os.path.basename(h).replace(".h.in", ".h")
               for h in glob.glob(f"{src}/include/ckcohort/*.h*")}
    for h in sorted(present - listed):
        bad.append(f"README.md, Library: include/ckcohort/{h} is not listed")
    for h in sorted(listed - present):
        bad.append(f"README.md, Library: lists ckcohort/{h}, not in include/ckcohort/")
for b in bad:
    print("FAIL:", b)
if bad:
    sys.exit(1)
n = len(glob.glob(f"{src}/src/*.c")) + len(glob.glob(f"{src}/src/cli/*.c"))
print(f"ok: {len(LAYER)} public headers in {len(set(LAYER.values()))} layers, "
      f"{n} sources, {len(RULES)} rules, README's header list matches")
