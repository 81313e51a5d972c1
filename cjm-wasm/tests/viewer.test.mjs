// The viewer (cjm-wasm/www) in headless Chromium (Debian's /usr/bin/chromium, driven by npm
// playwright-core), served by a localhost server this test starts and stops: opens the
// sports-nutrition example, checks the map, edits an emotion and adds a pain point, exports,
// takes a screenshot (build/screenshots/viewer.png), then opens a hostile journey and checks
// that nothing from the file ran or became markup.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, sep } from "node:path";
import { after, before, describe, test } from "node:test";

import { crateDir, loadNodePackage, pkgDir, repoRoot } from "./lib/node.mjs";

const CHROMIUM = process.env.CJM_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const SCREENSHOT = join(repoRoot, "build", "screenshots", "viewer.png");
const EXAMPLE = join(repoRoot, "examples", "sports-nutrition", "journey.yaml");
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
};
/** URL prefix -> directory served under it; nothing else is reachable. */
const ROOTS = { "/www/": join(crateDir, "www"), "/pkg/": pkgDir };

function resolve(urlPath) {
  if (urlPath === "/www/") return join(crateDir, "www", "index.html");
  for (const [prefix, dir] of Object.entries(ROOTS)) {
    if (urlPath.startsWith(prefix)) {
      const file = normalize(join(dir, decodeURIComponent(urlPath.slice(prefix.length))));
      return file.startsWith(dir + sep) ? file : null;
    }
  }
  return null;
}

function startServer() {
  const server = createServer((request, response) => {
    const path = new URL(request.url, "http://localhost").pathname;
    const file = resolve(path);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end(`not found: ${path}`);
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
    response.end(readFileSync(file));
  });
  return new Promise((done, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => done(server));
  });
}

/** A journey whose every text tries to become markup or script. */
function hostileJourney() {
  const script = "<script>window.__x=1</script>";
  const img = '"><img src=x onerror="window.__x=1">';
  const js = "javascript:window.__x=1";
  const svgBreak = "</svg><script>window.__x=1</script>";
  const css = "x{background:url(javascript:window.__x=1)} </style><style>*{background:url(javascript:window.__x=1)}";
  return {
    format_version: 1,
    id: "hostile",
    title: script,
    description: css,
    personas: [{ id: img, name: svgBreak }, { id: "p2", name: css }],
    stages: [
      {
        id: "s1",
        name: img,
        touchpoints: [
          {
            id: "t1",
            name: script,
            channel: css,
            actions: [svgBreak],
            thoughts: [js],
            emotions: [{ persona: img, score: -1 }, { score: 1 }],
            pain_points: [{ id: "p1", description: svgBreak, severity: 4 }],
          },
          { id: img, name: js, emotions: [{ score: -2 }] },
        ],
      },
      { id: svgBreak, name: css, touchpoints: [{ id: "t3", name: `style="background:url(${js})"` }] },
    ],
    opportunities: [{ id: "o1", title: js, description: img, touchpoints: ["t1"], impact: 3, effort: 2 }],
  };
}

describe("viewer in headless Chromium", { skip: process.env.CJM_WASM_SKIP_BROWSER ? "CJM_WASM_SKIP_BROWSER is set" : false }, () => {
  let server;
  let context;
  let page;
  let userDataDir;
  const log = [];
  const consoleErrors = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run \`bash scripts/wasm.sh setup\``);
    assert.ok(existsSync(join(pkgDir, "cjm_wasm.js")), "cjm-wasm/pkg is missing: run `bash scripts/wasm.sh build`");
    const { chromium } = await import("playwright-core");
    server = await startServer();
    userDataDir = mkdtempSync(join(tmpdir(), "cjm-viewer-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      timeout: 60_000,
      viewport: { width: 1440, height: 1000 },
      acceptDownloads: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
    // Injected by the driver (outside the page's CSP): records every CSP violation.
    await page.addInitScript(() => {
      window.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
    });
    page.on("console", (message) => {
      log.push(`console.${message.type()}: ${message.text()}`);
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => {
      log.push(`pageerror: ${error.message}`);
      consoleErrors.push(`pageerror: ${error.message}`);
    });
    page.on("requestfailed", (request) => log.push(`requestfailed: ${request.url()}`));
    await page.goto(`http://127.0.0.1:${server.address().port}/www/`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
  }, { timeout: 120_000 });

  after(async () => {
    await context?.close().catch(() => {});
    await new Promise((done) => (server ? server.close(done) : done()));
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  const explain = () => log.join("\n");
  const text = (selector) => page.textContent(selector);

  test("opens the sports-nutrition example and draws every stage and touchpoint", async () => {
    const journey = loadNodePackage().loadJourney(readFileSync(EXAMPLE), { format: "yaml" });
    const touchpoints = journey.stages.reduce((n, s) => n + s.touchpoints.length, 0);
    assert.equal(touchpoints, 14);
    await page.setInputFiles("#file", EXAMPLE);
    await page.waitForSelector("#map svg [data-touchpoint]");
    assert.equal(await page.locator("#map [data-stage]").count(), 6, explain());
    assert.equal(await page.locator("#map [data-touchpoint]").count(), touchpoints, explain());
    assert.equal(await page.locator("#curve svg").count(), 1);
    assert.match(await text("#status"), /6 stages, 14 touchpoints/);
    assert.match(await text("#friction-journey"), /^\d+\.\d\d$/);
    assert.equal(await page.isHidden("#error"), true, await text("#error"));
    // Three personas plus "Everyone", the touchpoints in stage groups.
    assert.equal(await page.locator("#persona option").count(), 4);
    assert.equal(await page.locator("#touchpoint option").count(), 14);
  });

  test("the persona selector re-renders the map with that persona only", async () => {
    const all = await page.innerHTML("#map");
    await page.selectOption("#persona", "beginner");
    const one = await page.innerHTML("#map");
    assert.notEqual(one, all);
    assert.equal(await page.locator("#map [data-touchpoint]").count(), 14);
  });

  test("editing an emotion updates the friction index and the curve", async () => {
    await page.selectOption("#touchpoint", "social-ads");
    assert.equal(await page.inputValue("#emotion"), "1");
    const journeyBefore = await text("#friction-journey");
    const touchpointBefore = await text("#friction-touchpoint");
    const curveBefore = await page.innerHTML("#curve");
    await page.fill("#emotion", "-2");
    await page.waitForFunction((before) => document.querySelector("#friction-journey").textContent !== before, journeyBefore);
    assert.notEqual(await text("#friction-journey"), journeyBefore);
    assert.notEqual(await text("#friction-touchpoint"), touchpointBefore);
    assert.notEqual(await page.innerHTML("#curve"), curveBefore);
    assert.equal(await page.isHidden("#error"), true, await text("#error"));
  });

  test("adding a pain point raises the touchpoint's friction", async () => {
    const before = Number(await text("#friction-touchpoint"));
    await page.fill("#pain-description", "Не понимает, чем отличаются протеины");
    await page.fill("#pain-severity", "5");
    await page.click("#add-pain");
    await page.waitForFunction((b) => Number(document.querySelector("#friction-touchpoint").textContent) !== b, before);
    assert.ok(Number(await text("#friction-touchpoint")) > before, `${await text("#friction-touchpoint")} vs ${before}`);
  });

  test("exports JSON (with the edits) and SVG as downloads; screenshot", async () => {
    const [json] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
    assert.equal(json.suggestedFilename(), "journey.json");
    const saved = JSON.parse(readFileSync(await json.path(), "utf8"));
    const touchpoint = saved.stages.flatMap((s) => s.touchpoints).find((t) => t.id === "social-ads");
    assert.equal(touchpoint.emotions.find((e) => e.persona === "beginner").score, -2);
    assert.ok(touchpoint.pain_points.some((p) => p.severity === 5 && p.description.startsWith("Не понимает")));
    const [svg] = await Promise.all([page.waitForEvent("download"), page.click("#export-svg")]);
    assert.equal(svg.suggestedFilename(), "journey.svg");
    assert.match(readFileSync(await svg.path(), "utf8"), /^<svg /);

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    assert.ok(statSync(SCREENSHOT).size > 10_000);
  });

  test("a hostile journey stays text: no script runs, no element is injected, no CSP violation", async () => {
    await page.setInputFiles("#file", { name: "hostile.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(hostileJourney())) });
    await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("hostile.json"));
    assert.equal(await page.isHidden("#error"), true, await text("#error"));
    assert.equal(await page.locator("#map [data-stage]").count(), 2);
    assert.equal(await page.locator("#map [data-touchpoint]").count(), 3);
    // Interact with the hostile parts too: its persona, its touchpoint, a hostile pain point.
    await page.selectOption("#persona", '"><img src=x onerror="window.__x=1">');
    await page.selectOption("#touchpoint", '"><img src=x onerror="window.__x=1">');
    await page.fill("#emotion", "1");
    await page.fill("#pain-description", "</svg><script>window.__x=1</script><img src=x onerror=window.__x=1>");
    await page.click("#add-pain");
    await page.click("#map [data-touchpoint]");
    await page.waitForTimeout(300);

    const report = await page.evaluate(() => ({
      x: window.__x,
      scripts: [...document.querySelectorAll("script")].map((s) => s.getAttribute("src")),
      images: document.querySelectorAll("img, image, iframe, object, embed, foreignObject").length,
      handlers: [...document.querySelectorAll("*")].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith("on")).map((a) => `${e.localName}@${a.name}`)),
      links: [...document.querySelectorAll("[href]")].map((e) => e.getAttribute("href")).filter((h) => /javascript:/i.test(h)),
      violations: window.__violations,
      title: document.querySelector("#journey-title").textContent,
      mapText: document.querySelector("#map").textContent,
    }));
    assert.equal(report.x, undefined);
    assert.deepEqual(report.scripts, ["viewer.mjs"]);
    assert.equal(report.images, 0);
    assert.deepEqual(report.handlers, []);
    assert.deepEqual(report.links, []);
    assert.deepEqual(report.violations, [], explain());
    // The hostile strings are shown as text.
    assert.equal(report.title, "<script>window.__x=1</script>");
    assert.ok(report.mapText.includes("javascript:window.__x=1"), "the opportunity title is shown as text");
    assert.deepEqual(consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m)), [], explain());
  });

  test("no console errors at all", () => {
    assert.deepEqual(consoleErrors, [], explain());
  });
});
