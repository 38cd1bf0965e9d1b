// Prints a review packet with Debian's Chromium on A4 and US Letter, portrait and
// landscape: nothing may reach past the printable width, and each PDF has pages.
// (tests/browser.rs reads the PDFs' page numbers "n / N" back with pdftotext.)
// Usage: node print.mjs PACKET.html ARTIFACT_DIR
// Prints one line per paper and a closing "N passed, N failed" line; exits 1 on failure.
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const [packet, artifactDir] = process.argv.slice(2);
fs.mkdirSync(artifactDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
// Paper sizes in millimetres; the packet's @page margins are 15 mm left and right.
const papers = [["A4", 210, 297], ["Letter", 215.9, 279.4]];
const mm = 96 / 25.4;
let passed = 0;
let failed = 0;
for (const [format, w, h] of papers) {
  for (const landscape of [false, true]) {
    const name = `${format}${landscape ? "-landscape" : ""}`;
    const width = Math.floor(((landscape ? h : w) - 30) * mm);
    const context = await browser.newContext({ viewport: { width, height: 1000 } });
    const page = await context.newPage();
    await page.emulateMedia({ media: "print" });
    await page.goto("file://" + path.resolve(packet), { waitUntil: "load" });
    const overflow = await page.evaluate((limit) => {
      const out = [];
      for (const el of document.querySelectorAll("body *")) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.right > limit + 1) out.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : ""} ends at ${Math.round(r.right)}px`);
      }
      return out;
    }, width);
    const pdf = await page.pdf({ format, landscape, printBackground: true });
    fs.writeFileSync(path.join(artifactDir, `packet-${name}.pdf`), pdf);
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
    await context.close();
    if (overflow.length) {
      failed++;
      console.log(`FAIL ${name}: ${overflow.length} element(s) past the printable width ${width}px: ${overflow.slice(0, 5).join("; ")}`);
    } else if (pages < 2) {
      failed++;
      console.log(`FAIL ${name}: the PDF has ${pages} page(s)`);
    } else {
      passed++;
      console.log(`ok ${name}: ${pages} pages, nothing past ${width}px`);
    }
  }
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
