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

/** Creates an HTML element: h("button", {class: "x", onclick}, ["text"]). */
export function h(tag, attrs = {}, children = []) {
  return fill(document.createElement(tag), attrs, children);
}

/** Creates an SVG element in the SVG namespace. */
export function svg(tag, attrs = {}, children = []) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Replaces the children of `el` with `children`. */
export function mount(el, ...children) {
  el.replaceChildren();
  return fill(el, {}, children);
}
