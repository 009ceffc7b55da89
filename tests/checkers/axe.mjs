// Runs axe-core in headless Chromium on each page, in the light and the dark
// colour scheme, and fails on any serious or critical violation.
// Usage: node axe.mjs BASE_URL PATH... (tests/checkers.rs runs it).
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";

const [base, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
let failures = 0;
for (const colorScheme of ["light", "dark"]) {
  const context = await browser.newContext({ colorScheme });
  for (const path of paths) {
    const page = await context.newPage();
    const errors = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(base + path, { waitUntil: "networkidle" });
    if (path.includes("search/?q=")) {
      // The results and filters are what a reader uses: check them too.
      await page.waitForSelector(".pagefind-ui__result", { timeout: 20000 });
    }
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    for (const v of serious) {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ");
      console.log(`${colorScheme} ${path}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.length}: ${where})`);
    }
    for (const error of errors) {
      console.log(`${colorScheme} ${path}: console error: ${error}`);
    }
    failures += serious.length + errors.length;
    console.log(`${colorScheme} ${path}: ${results.violations.length} violation(s), ${serious.length} serious or critical`);
    await page.close();
  }
  await context.close();
}
await browser.close();
process.exit(failures ? 1 : 0);
