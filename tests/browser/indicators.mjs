// Real-browser checks of the indicator features, on a --portable build opened
// from disk (file: URLs, as an archived snapshot is read): the breakdown
// selector changes the chart and the table; the status filter shows only the
// cards of one status; axe finds no violations on the pages that hold them.
// Usage: node indicators.mjs SITE_DIR ARTIFACT_DIR
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const [siteDir, artifactDir] = process.argv.slice(2);
fs.mkdirSync(artifactDir, { recursive: true });
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"],
});

let passed = 0;
let failed = 0;
const check = (name, ok, why) => {
  if (ok) { passed++; console.log(`ok   ${name}`); } else { failed++; console.log(`FAIL ${name}: ${why}`); }
};
const url = (rel) => pathToFileURL(path.join(siteDir, rel)).href;
const fs_size = (u) => fs.statSync(new URL(u.split("?")[0])).size;

async function open(rel) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url(rel));
  return [page, errors];
}

async function axe(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  check(`${name} axe`, result.violations.length === 0, result.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`).join("; "));
}

// What a reader sees of the chart and tables: visible figures' titles and captions.
const visible = (page) => page.evaluate(() => {
  const shown = (el) => el.offsetParent !== null;
  return {
    charts: [...document.querySelectorAll("figure.chart svg title")].filter((t) => shown(t.closest("figure"))).map((t) => t.textContent),
    tables: [...document.querySelectorAll("#h-chart ~ * caption, .chart-wrap caption")].filter(shown).map((c) => c.textContent),
  };
});

for (const lang of ["zh", "en"]) {
  const [page, errors] = await open(`${lang}/indicators/myopia-rate/index.html`);
  const before = await visible(page);
  check(`${lang} headline first`, before.charts.length === 1 && before.tables.length === 1, JSON.stringify(before));
  await page.selectOption("[data-breakdown-select]", "stage");
  const stage = await visible(page);
  check(`${lang} breakdown changes the chart`, stage.charts.length === 1 && stage.charts[0] !== before.charts[0], JSON.stringify(stage));
  check(`${lang} breakdown changes the table`, stage.tables.length === 1 && stage.tables[0] !== before.tables[0], JSON.stringify(stage));
  const lines = await page.evaluate(() => [...document.querySelectorAll("[data-breakdown='stage'] svg polyline")].length);
  check(`${lang} one line per category`, lines === 4, `${lines} lines`);
  await page.screenshot({ path: path.join(artifactDir, `breakdown-${lang}.png`), fullPage: true });
  await page.selectOption("[data-breakdown-select]", "headline");
  const back = await visible(page);
  check(`${lang} back to the headline`, JSON.stringify(back) === JSON.stringify(before), JSON.stringify(back));
  await axe(page, `${lang} indicator page`);
  check(`${lang} indicator page: no script errors`, errors.length === 0, errors.join("; "));
  await page.close();

  const [list, listErrors] = await open(`${lang}/indicators/index.html`);
  const all = await list.evaluate(() => document.querySelectorAll(".card-cell:not([hidden])").length);
  await list.click("[data-status-filter] button[data-status='limited']");
  const shown = await list.evaluate(() => [...document.querySelectorAll(".card-cell:not([hidden])")].map((c) => c.dataset.status));
  check(`${lang} status filter`, shown.length > 0 && shown.length < all && shown.every((s) => s === "limited"), JSON.stringify(shown));
  const pressed = await list.evaluate(() => document.querySelector("[data-status-filter] button[aria-pressed='true']").dataset.status);
  check(`${lang} filter button pressed`, pressed === "limited", pressed);
  await list.click("[data-status-filter] button[data-status='']");
  const again = await list.evaluate(() => document.querySelectorAll(".card-cell:not([hidden])").length);
  check(`${lang} filter back to all`, again === all, `${again} of ${all}`);
  await axe(list, `${lang} indicators page`);
  check(`${lang} indicators page: no script errors`, listErrors.length === 0, listErrors.join("; "));
  await list.close();

  const [reporting] = await open(`${lang}/reporting/index.html`);
  await axe(reporting, `${lang} reporting page`);
  await reporting.close();
}

// Search from disk: the query in the address, then typing; only a few shards load.
for (const [lang, query, typed, want, wantTyped] of [["zh", "近视", "体质健康", "indicators/myopia-rate/", "indicators/fitness-standard-pass-rate/"], ["en", "myopia", "fitn", "indicators/myopia-rate/", "indicators/fitness-good-rate/"]]) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url(`${lang}/search/index.html`) + `?q=${encodeURIComponent(query)}`);
  await page.waitForSelector("#search-results ol li", { timeout: 5000 }).catch(() => {});
  const hrefs = await page.$$eval("#search-results a", (as) => as.map((a) => a.getAttribute("href")));
  check(`${lang} search "${query}" from disk`, hrefs.some((h) => h.includes(want)), hrefs.slice(0, 5).join(", "));
  await page.fill("#search-q", typed);
  await page.waitForFunction((w) => [...document.querySelectorAll("#search-results a")].some((a) => a.getAttribute("href").includes(w)), wantTyped, { timeout: 5000 }).catch(() => {});
  const typedHrefs = await page.$$eval("#search-results a", (as) => as.map((a) => a.getAttribute("href")));
  check(`${lang} search as you type "${typed}"`, typedHrefs.some((h) => h.includes(wantTyped)), typedHrefs.slice(0, 5).join(", "));
  const loaded = await page.evaluate(() => [...document.querySelectorAll("script[src]")].map((s) => s.src).filter((n) => /\/search\/[a-z]+\/[a-z0-9]+\.js$/.test(n)));
  const bytes = loaded.reduce((sum, u) => sum + fs_size(u), 0);
  const all = fs.readdirSync(path.join(siteDir, "search", lang)).length;
  check(`${lang} search loads at most 300 KB of index`, loaded.length > 1 && bytes <= 300 * 1024, `${loaded.length} of ${all} files, ${bytes} bytes`);
  console.log(`     ${lang}: ${loaded.length} of ${all} index files, ${bytes} bytes for two queries`);
  check(`${lang} search: no script errors`, errors.length === 0, errors.join("; "));
  await page.close();
}

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
