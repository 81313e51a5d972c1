// A full-page PNG of a local HTML file in headless Chromium (Debian's /usr/bin/chromium, driven
// by playwright-core from cjm-wasm's devDependencies; `bash scripts/wasm.sh setup` installs
// both). Used by scripts/screenshots.sh for the report.
//
//   node scripts/screenshot-page.mjs PAGE.html OUT.png [WIDTH]
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [page, out, width = "1440"] = process.argv.slice(2);
if (!page || !out) {
  console.error("usage: node scripts/screenshot-page.mjs PAGE.html OUT.png [WIDTH]");
  process.exit(2);
}
const chromiumPath = process.env.CJM_CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(chromiumPath)) {
  console.error(`${chromiumPath} is missing: run \`bash scripts/wasm.sh setup\``);
  process.exit(1);
}
/** @type {typeof import("playwright-core")} */
const { chromium } = createRequire(join(root, "cjm-wasm", "package.json"))("playwright-core");
const browser = await chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync", "--no-first-run"],
});
try {
  const tab = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
  // The report is self-contained: any request it makes (there should be none) is refused.
  await tab.route("**/*", (route) => (route.request().url().startsWith("file:") ? route.continue() : route.abort()));
  await tab.goto(pathToFileURL(resolve(page)).href, { waitUntil: "load" });
  await tab.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
