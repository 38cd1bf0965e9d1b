// Real-browser checks of a built plansite folder, driven by playwright-core with
// Debian's Chromium. Usage: node run.mjs SITE_DIR ARTIFACT_DIR
// Every page template in both languages (and the free pages, and 404.html) is loaded
// at 320, 390 and 1280 px: axe-core (WCAG 2.1 A/AA), console errors, failed requests,
// no horizontal page overflow, and a full-page screenshot of each into SCREENSHOT_DIR
// (env; default a fresh temp folder, printed); at 1280 px also the keyboard checks.
// Prints one line per page and width and a closing "N passed, N failed" line; exits 1
// on failure.
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const [siteDir, artifactDir] = process.argv.slice(2);
fs.mkdirSync(artifactDir, { recursive: true });
const screenshotDir = process.env.SCREENSHOT_DIR || fs.mkdtempSync(path.join(os.tmpdir(), "plansite-screens-"));
fs.mkdirSync(screenshotDir, { recursive: true });
console.log(`screenshots: ${path.resolve(screenshotDir)}`);
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

// The site's absolute base URL (the sitemap's first address): 404.html links from it,
// since it is served at any depth, so requests to it are answered from SITE_DIR.
const sitemap = fs.existsSync(path.join(siteDir, "sitemap.xml")) ? fs.readFileSync(path.join(siteDir, "sitemap.xml"), "utf8") : "";
const baseUrl = (sitemap.match(/<loc>(https?:\/\/[^<]*\/)(?:zh|en)\/<\/loc>/) || [])[1];
const serveBase = async (route) => {
  let p = decodeURIComponent(new URL(route.request().url()).pathname.slice(new URL(baseUrl).pathname.length - 1));
  if (p.endsWith("/")) p += "index.html";
  const file = path.join(siteDir, path.normalize(p));
  if (!file.startsWith(path.resolve(siteDir)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) return route.fulfill({ status: 404, body: "" });
  return route.fulfill({ status: 200, contentType: types[path.extname(file)] || "application/octet-stream", body: fs.readFileSync(file) });
};

const templates = ["", "areas/", "areas/preschool-education/", "indicators/", "indicators/myopia-rate/", "indicators/dual-qualified-secondary-vocational/", "changelog/", "plan/", "about/", "methodology/", "search/", "reporting/"];
// Free pages (content/pages/SLUG.*.md): every other folder of a language.
const generated = new Set(["areas", "indicators", "changelog", "plan", "about", "methodology", "search", "reporting", "status"]);
for (const dir of fs.readdirSync(path.join(siteDir, "zh"), { withFileTypes: true })) {
  if (dir.isDirectory() && !generated.has(dir.name) && fs.existsSync(path.join(siteDir, "zh", dir.name, "index.html"))) templates.push(`${dir.name}/`);
}
const pages = [["index.html", "/"], ["404.html", "/404.html"]];
for (const lang of ["zh", "en"]) for (const t of templates) pages.push([`${lang}/${t}`, `/${lang}/${t}`]);
const widths = [320, 390, 1280];

let passed = 0;
let failed = 0;
const fail = (name, why) => { failed++; console.log(`FAIL ${name}: ${why}`); };

for (const [name, url] of pages) {
  for (const width of widths) {
    const label = `${name} @${width}px`;
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    if (baseUrl) await context.route(baseUrl + "**", serveBase);
    const page = await context.newPage();
    const problems = [];
    page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
    page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
    await page.goto(base + url, { waitUntil: "networkidle" });
    // No horizontal page overflow; when there is some, name the elements reaching past the edge.
    const overflow = await page.evaluate(() => {
      const root = document.documentElement;
      if (root.scrollWidth <= root.clientWidth) return null;
      const clipped = (el) => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") return true; return false; };
      // An element reaching past the edge, or text running out of its element (a long word).
      const wide = [...document.body.querySelectorAll("*")].filter((el) => !clipped(el) && (el.getBoundingClientRect().right > root.clientWidth + 0.5
        || (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0 && getComputedStyle(el).overflowX === "visible" && el.getBoundingClientRect().left + el.scrollWidth > root.clientWidth + 0.5)));
      const leaves = wide.filter((el) => !wide.some((o) => o !== el && el.contains(o)));
      const names = leaves.slice(0, 4).map((el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.classList.length ? "." + [...el.classList].join(".") : ""} (right ${Math.round(Math.max(el.getBoundingClientRect().right, el.getBoundingClientRect().left + el.scrollWidth))})`);
      return `page is ${root.scrollWidth}px wide in a ${root.clientWidth}px viewport: ${names.join(", ")}`;
    });
    if (overflow) problems.push(`overflow: ${overflow}`);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
    for (const v of result.violations) problems.push(`axe ${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    // Keyboard: the first Tab reaches the skip link; the language switch, where there is one, is reachable.
    if (width === 1280 && name !== "index.html") {
      await page.keyboard.press("Tab");
      const first = await page.evaluate(() => document.activeElement && document.activeElement.className);
      if (first !== "skip-link") problems.push(`first Tab focuses "${first}", not the skip link`);
      if (await page.$(".lang-switch")) {
        let reached = false;
        for (let i = 0; i < 6 && !reached; i++) {
          await page.keyboard.press("Tab");
          reached = await page.evaluate(() => document.activeElement && document.activeElement.classList.contains("lang-switch"));
        }
        if (!reached) problems.push("the language switch is not reachable by keyboard");
      }
    }
    const shot = name.replace(/\//g, "_").replace(/_$/, "");
    if (width === 1280) await page.screenshot({ path: path.join(artifactDir, shot + ".png"), fullPage: false });
    await page.screenshot({ path: path.join(screenshotDir, `${shot.replace(/\.html$/, "")}-${width}.png`), fullPage: true });
    await context.close();
    if (problems.length) fail(label, problems.join("; ")); else { passed++; console.log(`ok   ${label}`); }
  }
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
