// The cjm viewer: open a journey file, show the map, pick a persona, edit a touchpoint's emotion
// score or add a pain point, watch the friction index and the curve update, export SVG or JSON.
//
// Safety: file content never reaches an HTML parser. The map and the curve are the core's SVG
// (every journey text escaped there), parsed as XML with DOMParser and imported node by node;
// everything else is built with createElement and textContent. The page's CSP (index.html)
// allows no inline script, so even a bug here could not run script from a file.
import init, * as cjm from "../pkg/cjm_wasm.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);

const state = {
  journey: null,
  name: "journey",
  persona: "",
  touchpoint: "",
  painCounter: 0,
};

// ---------------------------------------------------------------------------------------------
// Safe DOM helpers

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

/** The core's SVG text as live nodes: parsed as XML (never HTML), then imported. Anything that
 *  could run or fetch (which the core never writes) is dropped on the way, belt and braces. */
function svgNode(text) {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const root = doc.documentElement;
  if (doc.querySelector("parsererror") || root.namespaceURI !== SVG_NS || root.localName !== "svg") {
    throw new Error("the renderer did not produce an SVG document");
  }
  for (const node of [...root.querySelectorAll("script, foreignObject, iframe, object, embed, image, use")]) node.remove();
  for (const node of [root, ...root.querySelectorAll("*")]) {
    for (const attribute of [...node.attributes]) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/\s+/g, "").toLowerCase();
      if (name.startsWith("on") || ((name === "href" || name.endsWith(":href")) && !value.startsWith("#")) || value.includes("javascript:")) {
        node.removeAttribute(attribute.name);
      }
    }
  }
  return document.importNode(root, true);
}

function showSvg(container, text) {
  container.replaceChildren(svgNode(text));
}

function showError(error) {
  const box = $("error");
  if (!error) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  const code = error && typeof error.code === "string" ? `${error.code}: ` : "";
  const where = error?.location?.line ? ` (line ${error.location.line}${error.location.column ? `, column ${error.location.column}` : ""})` : error?.location?.path ? ` (at ${error.location.path})` : "";
  box.textContent = `${code}${error?.message ?? String(error)}${where}`;
  box.hidden = false;
}

function formatIndex(score) {
  return score && typeof score.index === "number" && Number.isFinite(score.index) ? score.index.toFixed(2) : "—";
}

// ---------------------------------------------------------------------------------------------
// The journey

function touchpoints() {
  const out = [];
  for (const stage of state.journey?.stages ?? []) {
    for (const touchpoint of stage.touchpoints ?? []) out.push({ stage, touchpoint });
  }
  return out;
}

function currentTouchpoint() {
  return touchpoints().find(({ touchpoint }) => touchpoint.id === state.touchpoint)?.touchpoint ?? null;
}

function scale() {
  const given = state.journey?.emotion_scale;
  return given && Number.isFinite(given.min) && Number.isFinite(given.max) ? given : { min: -2, max: 2 };
}

/** The emotion entry of the selected persona ("" = the entry without a persona, for everyone). */
function emotionEntry(touchpoint) {
  return (touchpoint.emotions ?? []).find((e) => (e.persona ?? "") === state.persona) ?? null;
}

function renderOptions() {
  return state.persona ? { personas: [state.persona] } : {};
}

function fillPersonas() {
  const select = $("persona");
  const options = [element("option", "Everyone", { value: "" })];
  for (const persona of state.journey.personas ?? []) {
    const option = element("option", persona.name || persona.id);
    option.value = String(persona.id);
    options.push(option);
  }
  select.replaceChildren(...options);
  select.value = state.persona;
}

function fillTouchpoints() {
  const select = $("touchpoint");
  const groups = [];
  for (const stage of state.journey.stages ?? []) {
    const group = document.createElement("optgroup");
    group.label = String(stage.name ?? stage.id);
    for (const touchpoint of stage.touchpoints ?? []) {
      const option = element("option", touchpoint.name || touchpoint.id);
      option.value = String(touchpoint.id);
      group.append(option);
    }
    groups.push(group);
  }
  select.replaceChildren(...groups);
  select.value = state.touchpoint;
}

function showEmotion() {
  const input = $("emotion");
  const touchpoint = currentTouchpoint();
  const { min, max } = scale();
  input.min = String(min);
  input.max = String(max);
  const entry = touchpoint && emotionEntry(touchpoint);
  input.value = entry && Number.isFinite(entry.score) ? String(entry.score) : "";
  const who = state.persona ? "this persona" : "everyone";
  $("emotion-hint").textContent = `${min} … ${max}, for ${who}${entry ? "" : " (no score yet)"}`;
}

function showProblems() {
  const problems = cjm.validateJourney(state.journey, { today: null });
  const list = $("problems");
  list.replaceChildren(...problems.slice(0, 50).map((p) => element("li", `${p.severity} ${p.code} at ${p.path || "/"}: ${p.message}`)));
}

/** Everything that depends on the journey: map, curve, friction numbers, problems. */
function render() {
  const options = renderOptions();
  showSvg($("map"), cjm.renderSvg(state.journey, options));
  showSvg($("curve"), cjm.renderCurveSvg(state.journey, { ...options, title: false }));
  for (const group of $("map").querySelectorAll("[data-touchpoint]")) {
    group.classList.toggle("selected", group.getAttribute("data-touchpoint") === state.touchpoint);
  }
  const friction = cjm.frictionIndex(state.journey);
  $("friction-journey").textContent = formatIndex(friction.journey);
  const mine = friction.touchpoints.find((t) => t.touchpoint === state.touchpoint);
  $("friction-touchpoint").textContent = formatIndex(mine?.score);
  showProblems();
}

function update(change) {
  try {
    change();
    render();
    showError(null);
  } catch (error) {
    showError(error);
  }
}

function open(journey, name) {
  state.journey = journey;
  state.name = name.replace(/\.[^.]*$/, "").replace(/[^\p{L}\p{N}._-]+/gu, "_").slice(0, 80) || "journey";
  state.persona = "";
  state.touchpoint = touchpoints()[0]?.touchpoint.id ?? "";
  state.painCounter = 0;
  fillPersonas();
  fillTouchpoints();
  showEmotion();
  $("journey-title").textContent = String(journey.title ?? journey.id ?? "");
  $("controls").hidden = false;
  render();
  $("status").textContent = `${name}: ${journey.stages?.length ?? 0} stages, ${touchpoints().length} touchpoints`;
}

const FORMATS = { json: "json", yaml: "yaml", yml: "yaml", mmd: "mermaid", md: "mermaid", mermaid: "mermaid", csv: "csv" };

async function openFile(file) {
  if (!file) return;
  try {
    const extension = file.name.split(".").pop().toLowerCase();
    const format = $("format").value || FORMATS[extension] || "json";
    const bytes = new Uint8Array(await file.arrayBuffer());
    const journey = cjm.loadJourney(bytes, { format });
    showError(null);
    open(journey, file.name);
  } catch (error) {
    showError(error);
  }
}

function download(text, type, extension) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = element("a", undefined, { href: url, download: `${state.name}.${extension}` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// ---------------------------------------------------------------------------------------------
// Wiring

function wire() {
  $("file").addEventListener("change", (event) => openFile(event.target.files?.[0]));
  const drop = $("drop");
  for (const type of ["dragenter", "dragover"]) {
    document.addEventListener(type, (event) => {
      event.preventDefault();
      drop.classList.add("over");
    });
  }
  document.addEventListener("dragleave", () => drop.classList.remove("over"));
  document.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    openFile(event.dataTransfer?.files?.[0]);
  });

  $("persona").addEventListener("change", (event) => update(() => {
    state.persona = event.target.value;
    showEmotion();
  }));
  $("touchpoint").addEventListener("change", (event) => update(() => {
    state.touchpoint = event.target.value;
    showEmotion();
  }));
  $("map").addEventListener("click", (event) => {
    const group = event.target.closest?.("[data-touchpoint]");
    const id = group?.getAttribute("data-touchpoint");
    if (id === null || id === undefined || !touchpoints().some(({ touchpoint }) => touchpoint.id === id)) return;
    update(() => {
      state.touchpoint = id;
      $("touchpoint").value = id;
      showEmotion();
    });
  });
  $("emotion").addEventListener("input", (event) => {
    const score = event.target.valueAsNumber;
    const touchpoint = currentTouchpoint();
    if (!touchpoint || !Number.isFinite(score)) return;
    update(() => {
      touchpoint.emotions ??= [];
      const entry = emotionEntry(touchpoint);
      if (entry) entry.score = score;
      else touchpoint.emotions.push(state.persona ? { persona: state.persona, score } : { score });
    });
  });
  $("add-pain").addEventListener("click", () => {
    const touchpoint = currentTouchpoint();
    const description = $("pain-description").value.trim();
    const severity = $("pain-severity").valueAsNumber;
    if (!touchpoint) return;
    if (!description || !Number.isInteger(severity) || severity < 1 || severity > 5) {
      showError(new Error("a pain point needs a description and a severity from 1 to 5"));
      return;
    }
    update(() => {
      touchpoint.pain_points ??= [];
      const ids = new Set(touchpoints().flatMap(({ touchpoint: t }) => (t.pain_points ?? []).map((p) => p.id)));
      let id;
      do id = `pain-${++state.painCounter}`; while (ids.has(id));
      touchpoint.pain_points.push({ id, description, severity });
      $("pain-description").value = "";
    });
  });
  $("export-svg").addEventListener("click", () => {
    try {
      download(cjm.renderSvg(state.journey, renderOptions()), "image/svg+xml", "svg");
    } catch (error) {
      showError(error);
    }
  });
  $("export-json").addEventListener("click", () => {
    try {
      download(cjm.dumpJourney(state.journey, "json"), "application/json", "json");
    } catch (error) {
      showError(error);
    }
  });
}

try {
  await init();
  wire();
  $("status").textContent = `cjm ${cjm.version()} ready: open a journey file`;
  document.body.dataset.ready = "true";
} catch (error) {
  showError(error);
  $("status").textContent = "cjm failed to load";
}
