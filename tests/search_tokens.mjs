// The search client's tokenizer on the cases the index's tokenizer is tested
// with (tests/search-tokens.json; src/render/search.rs runs the same file).
// Usage: node search_tokens.mjs CJK_RANGES_JSON
import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { plansiteTerms, plansiteShard } = require("../themes/default/static/search.js");
const cjk = JSON.parse(process.argv[2]);
const cases = JSON.parse(fs.readFileSync(new URL("./search-tokens.json", import.meta.url), "utf8"));
let failed = 0;
for (const [text, want] of cases) {
  const got = plansiteTerms(text, cjk);
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    failed++;
    console.log(`FAIL ${JSON.stringify(text)}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
}
// Shards as the index computes them (src/render/search.rs, shard_key).
const shards = JSON.parse(process.argv[3] || "[]");
for (const [term, n, want] of shards) {
  const got = plansiteShard(term, cjk, n);
  if (got !== want) { failed++; console.log(`FAIL shard of ${term}: got ${got}, want ${want}`); }
}
console.log(`${cases.length + shards.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
