// How much of the search index one query loads, in Chromium, from a site
// opened from disk. Usage (from tests/browser, where playwright-core is):
//   node ../../bench/search-payload.mjs SITE_DIR LANG QUERY…
// Prints, per query, the index files the page loaded and their bytes.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(path.resolve("package.json"));
const { chromium } = require("playwright-core");
const [siteDir, lang, ...queries] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
let worst = 0;
for (const q of queries) {
  const page = await browser.newPage();
  const start = pathToFileURL(path.join(siteDir, lang, "search", "index.html")).href;
  await page.goto(`${start}?q=${encodeURIComponent(q)}`);
  await page.waitForSelector("#search-results h2", { timeout: 10000 }).catch(() => {});
  const files = await page.evaluate(() => [...document.querySelectorAll("script[src]")].map((s) => s.src).filter((n) => /\/search\/[a-z]+\/[a-z0-9]+\.js$/.test(n)));
  const bytes = files.reduce((sum, u) => sum + fs.statSync(new URL(u)).size, 0);
  const heading = await page.$eval("#search-results h2", (h) => h.textContent).catch(() => "no results heading");
  worst = Math.max(worst, bytes);
  console.log(`${lang} "${q}": ${files.length} files, ${(bytes / 1024).toFixed(1)} KB; ${heading}`);
  await page.close();
}
console.log(`largest: ${(worst / 1024).toFixed(1)} KB`);
await browser.close();
