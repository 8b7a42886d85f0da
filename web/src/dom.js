// Tiny DOM helpers: h() for HTML elements, svg() for SVG elements, no framework.

const SVG_NS = "http://www.w3.org/2000/svg";

function fill(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of [children].flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Shown instead of a portrait the service cannot draw right now (renderer busy or not loaded). */
export const MISSING_PORTRAIT = "data:image/svg+xml," + encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#ece8f4"/>'
  + '<circle cx="32" cy="25" r="11" fill="#c9bfe0"/><path d="M12 60c2-14 11-20 20-20s18 6 20 20z" fill="#c9bfe0"/></svg>');

function fallBack(el, attr) {
  el.addEventListener("error", () => {
    if (el.getAttribute(attr) === MISSING_PORTRAIT) return;
    el.setAttribute(attr, MISSING_PORTRAIT);
    el.classList.add("portrait-missing");
    if (el.alt) el.alt = `${el.alt} (portrait not available right now)`;
  });
  return el;
}

/** Creates an HTML element: h("button", {class: "x", onclick}, ["text"]). Images fall back to a placeholder. */
export function h(tag, attrs = {}, children = []) {
  const el = fill(document.createElement(tag), attrs, children);
  return tag === "img" ? fallBack(el, "src") : el;
}

/** Creates an SVG element in the SVG namespace. */
export function svg(tag, attrs = {}, children = []) {
  const el = fill(document.createElementNS(SVG_NS, tag), attrs, children);
  return tag === "image" ? fallBack(el, "href") : el;
}

/** Replaces the children of `el` with `children`. */
export function mount(el, ...children) {
  el.replaceChildren();
  return fill(el, {}, children);
}
