// The activity panel: one line per wallet action, moving through
// "confirm in your wallet" -> "pending" -> "confirmed" or a plain-words failure.
import { h } from "./dom.js";

const ICON = { wait: "…", pending: "⏳", done: "✓", fail: "✕", info: "ℹ" };

/** An entry of the activity list; update() changes its state and text in place. */
class Entry {
  constructor(list, label) {
    this.label = label;
    this.text = h("span", { class: "activity-text" });
    this.icon = h("span", { class: "activity-icon", "aria-hidden": "true" });
    this.el = h("li", { class: "activity" }, [this.icon, h("strong", {}, [label, ": "]), this.text]);
    list.prepend(this.el);
    while (list.children.length > 6) list.lastElementChild.remove();
  }

  update(state, text) {
    this.el.dataset.state = state;
    this.icon.textContent = ICON[state] ?? "";
    this.text.textContent = text;
    if (state === "fail") this.el.setAttribute("role", "alert");
    return this;
  }
}

/** Activity list bound to the #activity element of the page. */
export class Activity {
  constructor(list) {
    this.list = list;
  }

  start(label, text = "confirm in your wallet…") {
    return new Entry(this.list, label).update("wait", text);
  }

  note(label, text) {
    return new Entry(this.list, label).update("info", text);
  }

  fail(label, text) {
    return new Entry(this.list, label).update("fail", text);
  }
}
