// The fuse page's preview: possible children of both modes side by side, drawn by the exact fusion
// rule from random seeds. More candidates are asked than shown, and the shown ones are picked to
// differ in their traits, so six possibilities do not look alike.
import { IMAGE_SIZES } from "../api.js";
import { h } from "../dom.js";

/** The fusion modes, in the contract's order (requestFusion's `mode` is the index). */
export const MODES = [
  { name: "crossover", label: "Crossover", hint: "each gene from one parent: children scatter around both" },
  { name: "blend", label: "Blend", hint: "each gene the mean of both parents: children sit between them" },
];

export const PREVIEW_SHOWN = 6;
export const PREVIEW_ASKED = 12; // candidates per mode; the service's preview_max is 16

/** Indexes of `count` children, greedily the most different in shown traits (first one first). Pure. */
export function distinctChildren(children, count = PREVIEW_SHOWN) {
  const key = (c) => c.traits.map((t) => t.value);
  const chosen = [];
  const left = children.map((_, i) => i);
  while (chosen.length < count && left.length) {
    let best = 0;
    let bestScore = -1;
    left.forEach((i, k) => {
      const mine = key(children[i]);
      const score = chosen.length === 0 ? 0 : Math.min(...chosen.map((j) => key(children[j]).filter((v, t) => v !== mine[t]).length));
      if (score > bestScore) [best, bestScore] = [k, score];
    });
    chosen.push(left.splice(best, 1)[0]);
  }
  return chosen;
}

/** The shown possibilities of one mode's FusionPreview (`picked` indexes into json.children). */

const SHEET_PX = 256; // per character on the contact sheet, opened full-size in its own tab

/** The contact sheet's URL with big portraits (the preview answers with the small size its thumbnails use). */
export function sheetUrl(href) {
  const url = new URL(href, location.href);
  url.searchParams.set("size", String(IMAGE_SIZES.filter((s) => s <= SHEET_PX).at(-1) ?? IMAGE_SIZES[0]));
  return url.href;
}

function previewGrid(app, json, picked) {
  return h("div", { class: "preview" }, [
    h("ul", { class: "grid grid-small", "aria-label": "Possible children" }, picked.map((index, i) => {
      const c = json.children[index];
      return h("li", { class: "card" }, [
        h("img", {
          src: app.api.genomeImage(c.genome, 128), width: 128, height: 128, class: "preview-img",
          alt: `Possible child ${i + 1}: ${c.traits.map((t) => `${t.trait} ${t.value}`).join(", ")}`,
        }),
        h("span", { class: "card-meta" }, [`possibility ${i + 1}`]),
      ]);
    })),
    h("p", {}, [h("a", { href: sheetUrl(json.contact_sheet), target: "_blank", rel: "noopener" }, ["Open the contact sheet"])]),
  ]);
}

/** Both modes' previews side by side; `choose(name)` picks a mode, `chosen` is the picked one. */
export function previewColumns(app, previews, chosen, choose) {
  // The same possibilities (same seeds, same traits) in both columns: pick them once, from the first mode.
  const picked = distinctChildren(previews[0].children);
  return h("div", {}, [
    h("p", { class: "hint preview-note" }, [
      "These are possibilities, not the child: the real one is drawn by this same rule from a seed nobody knows yet ",
      "(the hash of a block mined after your request), so it may be any of them, or another.",
    ]),
    h("div", { class: "preview-modes" }, MODES.map((mode, i) => h("section", {
      class: `preview-mode${mode.name === chosen ? " chosen" : ""}`, "data-mode": mode.name, "aria-label": `${mode.label} children`,
    }, [
      h("h3", {}, [mode.label]),
      h("p", { class: "hint" }, [mode.hint]),
      previewGrid(app, previews[i], picked),
      h("button", {
        type: "button", class: "choose-mode", "aria-pressed": String(mode.name === chosen), onclick: () => choose(mode.name),
      }, [`Fuse by ${mode.name}`]),
    ]))),
  ]);
}
