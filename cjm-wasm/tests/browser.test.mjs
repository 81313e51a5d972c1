// A real headless Chromium (Debian's /usr/bin/chromium, driven by npm playwright-core) loads the
// web build from a localhost server this test starts, runs tests/browser/page.mjs (checks plus
// every language-neutral case) and reports back. The test stops its server and browser itself.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { after, before, describe, test } from "node:test";

import { caseFiles, crateDir, pkgDir, repoRoot, testsDir } from "./lib/node.mjs";

const CHROMIUM = process.env.CJM_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
};

/** URL prefix -> directory served under it. Nothing outside these is reachable. Cases may
 *  point at `../examples/...` (relative to tests/), which the browser resolves to /examples/. */
const ROOTS = {
  "/pkg/": pkgDir,
  "/lib/": join(crateDir, "tests", "lib"),
  "/tests/": testsDir,
  "/examples/": join(repoRoot, "examples"),
};

function resolve(urlPath) {
  if (urlPath === "/" || urlPath === "/index.html") return join(crateDir, "tests", "browser", "index.html");
  if (urlPath === "/page.mjs") return join(crateDir, "tests", "browser", "page.mjs");
  for (const [prefix, dir] of Object.entries(ROOTS)) {
    if (urlPath.startsWith(prefix)) {
      const file = normalize(join(dir, decodeURIComponent(urlPath.slice(prefix.length))));
      return file.startsWith(dir + sep) ? file : null;
    }
  }
  return null;
}

function startServer() {
  const cases = JSON.stringify(caseFiles());
  const server = createServer((request, response) => {
    const path = new URL(request.url, "http://localhost").pathname;
    if (path === "/cases.json") {
      response.writeHead(200, { "content-type": TYPES[".json"] });
      response.end(cases);
      return;
    }
    const file = resolve(path);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end(`not found: ${path}`);
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    response.end(readFileSync(file));
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolvePromise(server));
  });
}

describe("headless Chromium", { skip: process.env.CJM_WASM_SKIP_BROWSER ? "CJM_WASM_SKIP_BROWSER is set" : false }, () => {
  let server;
  let context;
  let userDataDir;
  let results;
  const pageLog = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run \`bash scripts/wasm.sh setup\``);
    assert.ok(existsSync(join(pkgDir, "cjm_wasm.js")), "cjm-wasm/pkg is missing: run `bash scripts/wasm.sh build`");
    const { chromium } = await import("playwright-core");
    server = await startServer();
    const url = `http://127.0.0.1:${server.address().port}/`;
    userDataDir = mkdtempSync(join(tmpdir(), "cjm-wasm-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      timeout: 60_000,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (message) => pageLog.push(`console.${message.type()}: ${message.text()}`));
    page.on("pageerror", (error) => pageLog.push(`pageerror: ${error.message}`));
    page.on("requestfailed", (request) => pageLog.push(`requestfailed: ${request.url()}`));
    await page.goto(url);
    await page.waitForFunction(() => window.__cjm !== undefined, null, { timeout: 150_000 });
    results = await page.evaluate(() => window.__cjm);
    const status = await page.textContent("#status");
    pageLog.push(`status: ${status}`);
  }, { timeout: 240_000 });

  after(async () => {
    await context?.close().catch(() => {});
    await new Promise((done) => (server ? server.close(done) : done()));
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  const explain = () => pageLog.join("\n");

  test("the page ran to the end", () => {
    assert.ok(results, `no results from the page\n${explain()}`);
    assert.equal(results.fatal, null, `${results.fatal}\n${explain()}`);
    assert.ok(results.checks.length >= 10, `only ${results.checks.length} checks ran`);
  });

  test("page checks: load, validate, Mermaid, error .code", () => {
    const failed = results.checks.filter((c) => !c.ok);
    assert.deepEqual(failed, [], explain());
  });

  test("every language-neutral case passes in the browser", (t) => {
    const expected = caseFiles().map((c) => c.name);
    assert.deepEqual(results.cases.map((c) => c.name), expected);
    const failed = results.cases.filter((c) => !c.ok);
    assert.deepEqual(failed, [], explain());
    const skipped = results.cases.filter((c) => c.skipped);
    t.diagnostic(`${results.cases.length - skipped.length} cases passed in Chromium, ${skipped.length} skipped (op not in cjm-wasm yet)`);
  });
});
