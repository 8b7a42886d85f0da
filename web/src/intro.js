// The explanation on the gallery: mint -> fuse -> inherit, the genome barcode, and (on a development
// chain) how to get test ETH. Folded to one line, so that a first-time visitor sees characters first
// (on a phone the open panel filled the whole first screen).
import { testEthButton } from "./devchain.js";
import { h } from "./dom.js";
import { link } from "./router.js";

/** A folded <details> "How latentkin works" panel; its one-line summary names the three steps. */
export function introPanel(app) {
  const steps = h("ol", { class: "intro-steps" }, [
    h("li", {}, [h("strong", {}, ["Mint. "]), "A first-generation character gets a random genome: 64 hidden code genes that shape its face, and 8 traits, each with a shown and a hidden value. ", h("a", { href: link("mint") }, ["Mint one"])]),
    h("li", {}, [h("strong", {}, ["Fuse. "]), "Pick two characters (yours, or one offered to you) and a mode: crossover takes each gene from one parent, blend takes their mean. A future block's hash decides the child, so nobody can know it in advance. ", h("a", { href: link("fuse") }, ["Fuse two"])]),
    h("li", {}, [h("strong", {}, ["Inherit. "]), "The child inherits genes and traits; a parent's hidden trait can surface in it. Parents then rest for a while before they can fuse again."]),
  ]);
  const barcode = h("p", { class: "hint" }, [
    "Each character page shows its genome as a barcode: 64 code genes as dark stripes (4 bits each, gene 0 on the left), ",
    "then the 8 traits, the shown value dark and the hidden value pale. Everything on the page can be re-derived from it.",
  ]);
  const devChain = testEthButton(app);
  return h("details", { class: "intro" }, [
    h("summary", {}, ["How latentkin works: mint, fuse, inherit"]),
    steps,
    barcode,
    devChain ? h("p", { class: "hint dev-eth" }, ["This is a development chain: its ETH is free and worthless. ", devChain]) : null,
  ]);
}
