// duckdb_query.cjs - the shared query of scripts/bench.sh in DuckDB
// (@duckdb/node-api, one SQL statement over read_csv, SET threads = 2).
//
//   node duckdb_query.cjs FILE.csv   print the result as JSON on stdout
//   node duckdb_query.cjs --noop     load the module and exit (node startup
//                                    baseline, subtracted in the table)
//
// The module is looked up in $DUCKDB_NODE_DIR (a folder with node_modules/,
// outside the git tree; scripts/bench.sh installs it there).
//
// Shared query: rows whose first Step 2 CK attempt is a low pass (pass mark
// in force on step2_date_1, or on the undated day of the year before
// match_year; pass <= score <= pass + margin), grouped by (retook =
// step2_attempt_2 present, target_specialty): n, matched (matched = 'Y'),
// and of change = step2_attempt_2 - step2_attempt_1 the mean, sd (n - 1) and
// median.  GROUPING SETS adds the retake groups pooled over targets.
// SPDX-License-Identifier: MIT
'use strict';
const path = require('path');
const fs = require('fs');
const { createRequire } = require('module');

const dir = process.env.DUCKDB_NODE_DIR;
if (!dir) {
  process.stderr.write('duckdb_query: set DUCKDB_NODE_DIR\n');
  process.exit(2);
}
const { DuckDBInstance } = createRequire(path.join(dir, 'package.json'))('@duckdb/node-api');

const arg = process.argv[2];
if (arg === '--noop') process.exit(0);
if (!arg || process.argv.length !== 3) {
  process.stderr.write('usage: duckdb_query.cjs FILE.csv | --noop\n');
  process.exit(2);
}

const params = JSON.parse(fs.readFileSync(path.join(__dirname, 'query-params.json'), 'utf8'));
const sqlStr = (s) => "'" + String(s).replace(/'/g, "''") + "'";
const int = (v) => {
  if (!Number.isInteger(v)) throw new Error('query-params.json: not an integer: ' + v);
  return v;
};
// Latest start date first: the first WHEN that holds is the mark in force.
const marks = [...params.pass_marks].sort((a, b) => (a.from < b.from ? 1 : -1));
const passCase = 'CASE ' +
  marks.map((p) => `WHEN d >= DATE ${sqlStr(p.from)} THEN ${int(p.mark)}`).join(' ') +
  ` ELSE ${int(params.pass_marks[0].mark)} END`; // before the first date: the first mark
const [um, ud] = params.undated_attempt.split('-').map(Number);

const sql = `
WITH src AS (
  SELECT match_year, step2_attempt_1 AS s1, step2_attempt_2 AS s2,
         target_specialty AS target, matched,
         coalesce(step2_date_1, make_date(match_year - 1, ${int(um)}, ${int(ud)})) AS d
  FROM read_csv(${sqlStr(arg)}, header = true, auto_detect = true,
                types = {'match_year': 'INTEGER', 'step2_attempt_1': 'INTEGER',
                         'step2_attempt_2': 'INTEGER', 'step2_date_1': 'DATE',
                         'target_specialty': 'VARCHAR', 'matched': 'VARCHAR'})
), low AS (
  SELECT s2 IS NOT NULL AS retook, target, matched = ${sqlStr(params.matched_value)} AS m,
         s2 - s1 AS change
  FROM (SELECT *, ${passCase} AS pass FROM src)
  WHERE s1 >= pass AND s1 <= pass + ${int(params.low_pass_margin)}
)
SELECT retook, target, grouping(target) AS pooled,
       count(*)::BIGINT AS n, count(*) FILTER (WHERE m)::BIGINT AS matched,
       avg(change)::DOUBLE AS mean, stddev_samp(change)::DOUBLE AS sd,
       median(change)::DOUBLE AS median
FROM low
GROUP BY GROUPING SETS ((retook, target), (retook))
ORDER BY pooled, retook, target NULLS FIRST`;

(async () => {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const con = await instance.connect();
  await con.run('SET threads = 2');
  const t0 = process.hrtime.bigint();
  const reader = await con.runAndReadAll(sql);
  const rows = reader.getRowObjectsJS();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const num = (v) => (v === null || v === undefined ? null : Number(v));
  const out = { engine: 'duckdb', query_seconds: seconds, groups: [], pooled: [] };
  for (const r of rows) {
    const g = { retook: r.retook, n: num(r.n), matched: num(r.matched),
                mean: num(r.mean), sd: num(r.sd), median: num(r.median) };
    if (Number(r.pooled) === 1) out.pooled.push(g);
    else out.groups.push({ target: r.target, ...g });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
  con.closeSync();
  instance.closeSync();
})().catch((e) => {
  process.stderr.write('duckdb_query: ' + (e && e.stack ? e.stack : e) + '\n');
  process.exit(1);
});
