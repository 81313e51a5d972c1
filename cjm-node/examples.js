// The example journeys and event log that ship inside the package, so a quick start runs from
// any directory: `import { examplePath, loadExample } from "cjm-node/examples"`.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadJourneyFile } from "./index.js";

const journeys = {
  "sports-nutrition": "sports-nutrition/journey.yaml",
  "sports-nutrition-to-be": "sports-nutrition/journey-to-be.yaml",
  ecommerce: "ecommerce/journey.yaml",
};
const eventLogs = { "sports-nutrition": "sports-nutrition/events.csv" };

/** The example journeys' names. */
export const exampleNames = Object.keys(journeys);

function file(table, name, what) {
  if (!Object.hasOwn(table, name)) {
    const error = new Error(`no ${what} named ${JSON.stringify(name)}; there are: ${Object.keys(table).join(", ")}`);
    error.code = "invalid_argument";
    throw error;
  }
  const path = fileURLToPath(new URL(`./examples/${table[name]}`, import.meta.url));
  if (!existsSync(path)) {
    const error = new Error(`${path}: the package was built without its examples (scripts/copy-examples.sh)`);
    error.code = "io";
    throw error;
  }
  return path;
}

/** The file of an example journey (YAML). */
export function examplePath(name) {
  return file(journeys, name, "example journey");
}

/** The example event log of a journey (CSV: user_id,timestamp,event,platform,persona). */
export function exampleEventsPath(name = "sports-nutrition") {
  return file(eventLogs, name, "example event log");
}

/** An example journey, loaded. */
export function loadExample(name) {
  return loadJourneyFile(examplePath(name));
}
