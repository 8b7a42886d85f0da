// The family tree section of a character page: a depth picker and the tree picture, redrawn
// from GET /tokens/{id}/family (waiting while the service indexes a newborn).
import { h, mount } from "../dom.js";
import { familyPicture, flattenFamily } from "../family.js";
import { message, sleep } from "../ui.js";

/** The <figure> with the family tree of `token`, drawn asynchronously. */
export async function familySection(app, token, signal) {
  const figure = h("figure", { class: "family" });
  const select = h("select", { id: "family-depth" },
    [1, 2, 3, 4, 5].map((d) => h("option", { value: d, selected: d === 3 }, [String(d)])));
  const box = h("div", { class: "tree-box" });
  const draw = async () => {
    const depth = Number(select.value);
    mount(box, message("Drawing the family tree…"));
    try {
      let json;
      for (let attempt = 0; ; attempt++) {
        try {
          json = await app.api.family(token.id, depth);
          break;
        } catch (err) {
          // 503: the service has the token from the chain but has not indexed it yet.
          if (err.status !== 503 || attempt > 60 || signal.aborted) throw err;
          await sleep(1000, signal);
        }
      }
      if (signal.aborted) return;
      const nodes = flattenFamily(json);
      if (!nodes.has(token.id)) nodes.set(token.id, { id: token.id, parents: token.parents, generation: token.generation });
      mount(box, familyPicture(nodes, token.id, depth));
    } catch (err) {
      if (!signal.aborted) mount(box, message(`The family tree could not be loaded: ${err.message}`, "error"));
    }
  };
  select.addEventListener("change", draw);
  mount(figure,
    h("figcaption", {}, [
      h("h2", {}, ["Family tree"]),
      h("label", { for: "family-depth" }, ["Generations shown "]), select,
    ]),
    box);
  draw();
  return figure;
}
