// Node-side helpers of the cjm-wasm tests: paths, the two built packages, the case files.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const crateDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const repoRoot = join(crateDir, "..");
export const testsDir = join(repoRoot, "tests");
export const pkgDir = join(crateDir, "pkg");
export const pkgNodeDir = join(crateDir, "pkg-node");

const require = createRequire(import.meta.url);

/** The `--target nodejs` build (CommonJS, instantiated on require). */
export function loadNodePackage() {
  return require(join(pkgNodeDir, "cjm_wasm.js"));
}

/** The `--target web` build instantiated synchronously, with access to its memory. */
export async function loadWebPackage() {
  const web = await import(join(pkgDir, "cjm_wasm.js"));
  const exports = web.initSync({ module: readFileSync(join(pkgDir, "cjm_wasm_bg.wasm")) });
  return { cjm: web, memory: exports.memory };
}

export const readBytes = async (path) => new Uint8Array(readFileSync(join(testsDir, path)));
export const readTestFile = (path) => readFileSync(join(testsDir, path));

/** Every tests/cases/**\/*.json as { name, data }, sorted by name. */
export function caseFiles() {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith(".json")) {
        out.push({ name: relative(join(testsDir, "cases"), full).replace(/\.json$/, ""), data: JSON.parse(readFileSync(full, "utf8")) });
      }
    }
  };
  walk(join(testsDir, "cases"));
  return out;
}
