// Loads `marcato select` output into DuckDB (the npm package
// @duckdb/node-api, a dev dependency of web/) and checks row counts and
// values: the hand-off a data engineer makes first.
//
//   node duckdb_check.mjs WEB_DIR CSV JSONL RECORDS
import { createRequire } from 'node:module';
import path from 'node:path';

const [webDir, csv, jsonl, records] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(webDir), 'package.json'));
let duckdb;
try {
  duckdb = require('@duckdb/node-api');
} catch {
  console.log('skipped: @duckdb/node-api is not installed (cd web && npm ci)');
  process.exit(77);
}

const instance = await duckdb.DuckDBInstance.create(':memory:');
const db = await instance.connect();
const q = async (sql) => (await db.runAndReadAll(sql)).getRowObjectsJson();
const lit = (s) => `'${s.replaceAll("'", "''")}'`;
let failed = 0;
const check = (what, got, want) => {
  const ok = JSON.stringify(got) === JSON.stringify(want);
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${ok ? '' : `: ${JSON.stringify(got)}, want ${JSON.stringify(want)}`}`);
};

// CSV: the recipe in README, read_csv with a header.
const fromCsv = `read_csv(${lit(csv)}, header = true, all_varchar = true)`;
check('csv rows', (await q(`SELECT count(*)::INTEGER AS n FROM ${fromCsv}`))[0].n, Number(records));
check('csv columns',
  (await q(`SELECT column_name AS c FROM (DESCRIBE SELECT * FROM ${fromCsv})`)).map((r) => r.c),
  ['record', '001', '245$a', '650$a']);
check('csv record 4',
  (await q(`SELECT "245$a" AS t, string_split("650$a", '|') AS s FROM ${fromCsv} WHERE record = '4'`))[0],
  { t: 'Kubo Sakae "Kazanbaichi" o yomu /', s: ['Japanese drama', 'Political plays, Japanese.', 'Theater'] });

// JSON Lines: every spec a list of strings.
const fromJson = `read_json(${lit(jsonl)}, format = 'newline_delimited')`;
check('jsonl rows', (await q(`SELECT count(*)::INTEGER AS n FROM ${fromJson}`))[0].n, Number(records));
check('jsonl record 4',
  (await q(`SELECT "001"[1] AS id, "650$a" AS s FROM ${fromJson} WHERE record = 4`))[0],
  { id: '   00314247 ', s: ['Japanese drama', 'Political plays, Japanese.', 'Theater'] });
check('jsonl subject count',
  (await q(`SELECT sum(len("650$a"))::INTEGER AS n FROM ${fromJson}`))[0].n,
  (await q(`SELECT sum(len(string_split("650$a", '|')))::INTEGER AS n FROM ${fromCsv} WHERE "650$a" <> ''`))[0].n);
// The README's recipe, as written there: the most frequent subjects. The
// top one must be counted as the CSV form counts it.
const top = (await q(`SELECT subject, count(*)::INTEGER AS n FROM (SELECT unnest("650$a") AS subject FROM read_json(${lit(jsonl)})) GROUP BY subject ORDER BY n DESC, subject LIMIT 5`));
check('README recipe: top subject as the CSV counts it', top[0].n,
  (await q(`SELECT count(*)::INTEGER AS n FROM (SELECT unnest(string_split("650$a", '|')) AS s FROM ${fromCsv} WHERE "650$a" <> '') WHERE s = ${lit(top[0].subject)}`))[0].n);

db.closeSync?.();
console.log(failed ? `${failed} failed` : 'all passed');
process.exit(failed ? 1 : 0);
