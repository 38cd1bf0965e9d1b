// Real-browser checks of a built plansite folder, driven by playwright-core with
// Debian's Chromium. Usage: node run.mjs SITE_DIR ARTIFACT_DIR
// Prints one line per page and a closing "N passed, N failed" line; exits 1 on failure.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const [siteDir, artifactDir] = process.argv.slice(2);
fs.mkdirSync(artifactDir, { recursive: true });
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".xml": "application/xml", ".csv": "text/csv" };
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (p.endsWith("/")) p += "index.html";
  const file = path.join(siteDir, path.normalize(p));
  if (!file.startsWith(path.resolve(siteDir)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404, { "content-type": "text/html" });
    res.end(fs.readFileSync(path.join(siteDir, "404.html")));
    return;
  }
  res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
  res.end(fs.readFileSync(file));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});

const templates = ["", "areas/", "areas/preschool-education/", "indicators/", "indicators/myopia-rate/", "indicators/dual-qualified-secondary-vocational/", "changelog/", "plan/", "about/", "search/"];
const pages = [["index.html", "/"]];
for (const lang of ["zh", "en"]) for (const t of templates) pages.push([`${lang}/${t}`, `/${lang}/${t}`]);

let passed = 0;
let failed = 0;
const fail = (name, why) => { failed++; console.log(`FAIL ${name}: ${why}`); };

for (const [name, url] of pages) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(base + url, { waitUntil: "networkidle" });
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  for (const v of result.violations) problems.push(`axe ${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  // Keyboard: the first Tab reaches the skip link; the language switch is reachable.
  if (name !== "index.html") {
    await page.keyboard.press("Tab");
    const first = await page.evaluate(() => document.activeElement && document.activeElement.className);
    if (first !== "skip-link") problems.push(`first Tab focuses "${first}", not the skip link`);
    let reached = false;
    for (let i = 0; i < 6 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement && document.activeElement.classList.contains("lang-switch"));
    }
    if (!reached) problems.push("the language switch is not reachable by keyboard");
  }
  await page.screenshot({ path: path.join(artifactDir, name.replace(/\//g, "_").replace(/_$/, "") + ".png"), fullPage: false });
  await context.close();
  if (problems.length) fail(name, problems.join("; ")); else { passed++; console.log(`ok   ${name}`); }
}

// Search in the browser: Chinese bigrams and English prefixes find the right indicator pages.
for (const [lang, q, expect] of [["zh", "近视", ["myopia-rate"]], ["zh", "双师型", ["dual-qualified-secondary-vocational", "dual-qualified-higher-vocational"]], ["en", "myopia", ["myopia-rate"]]]) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/${lang}/search/?q=${encodeURIComponent(q)}`, { waitUntil: "networkidle" });
  await page.waitForSelector("#search-results ol li, #search-results p", { timeout: 5000 }).catch(() => {});
  const hrefs = await page.$$eval("#search-results a", (as) => as.map((a) => a.getAttribute("href")));
  const missing = expect.filter((id) => !hrefs.some((h) => h.includes(`indicators/${id}/`)));
  if (missing.length) fail(`search ${lang} "${q}"`, `results lack ${missing.join(", ")} (got ${hrefs.slice(0, 5).join(", ")})`);
  else { passed++; console.log(`ok   search ${lang} "${q}"`); }
  await context.close();
}

await browser.close();
server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
