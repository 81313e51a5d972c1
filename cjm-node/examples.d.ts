import type { Journey } from "./index.js";

/** The example journeys' names. */
export declare const exampleNames: string[];
/** The file of an example journey (YAML); throws (`code: "invalid_argument"`) for an unknown name. */
export declare function examplePath(name: "sports-nutrition" | "sports-nutrition-to-be" | "ecommerce" | (string & {})): string;
/** The example event log of a journey (CSV: user_id,timestamp,event,platform,persona). */
export declare function exampleEventsPath(name?: "sports-nutrition" | (string & {})): string;
/** An example journey, loaded. */
export declare function loadExample(name: "sports-nutrition" | "sports-nutrition-to-be" | "ecommerce" | (string & {})): Promise<Journey>;
