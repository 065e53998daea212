#!/bin/sh
# The report names the column it did not read (its name only: no value of
# it appears anywhere); -o report.json picks the json format by its extension.
set -e
python3 -c "import json; d=json.load(open('report.json')); assert d['inputs'][0]['ignored_columns']==['Advisor notes'], d['inputs']"
! grep -q "private remark" report.json
