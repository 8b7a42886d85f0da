// Hash routes: #/ (gallery), #/mine, #/token/12, #/fuse?a=1&b=2, #/mint.
// Each navigation aborts the previous view's signal so its timers and fetches stop.

/** Splits a location hash into {parts, params}: "#/token/5?x=1" -> {parts:["token","5"], params}. */
export function parseHash(hash) {
  const raw = (hash || "").replace(/^#/, "");
  const [path, search = ""] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(search) };
}

/** Builds a hash link: link("token", 5) -> "#/token/5"; link("fuse", {a: 1}) -> "#/fuse?a=1". */
export function link(...segments) {
  const params = typeof segments.at(-1) === "object" ? segments.pop() : null;
  const path = "#/" + segments.map((s) => encodeURIComponent(String(s))).join("/");
  if (!params) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export class Router {
  /** routes: {name: async (ctx) => void}; resolve(parts) -> [name, args]. */
  constructor(routes, resolve, onNavigate) {
    this.routes = routes;
    this.resolve = resolve;
    this.onNavigate = onNavigate;
    this.controller = null;
    window.addEventListener("hashchange", () => this.show());
  }

  /** Renders the view of the current hash (also used to refresh after a wallet change). */
  async show({ keepFocus = false } = {}) {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const { parts, params } = parseHash(location.hash);
    const [name, args] = this.resolve(parts);
    this.onNavigate?.(name, keepFocus);
    await this.routes[name]({ args, params, signal: controller.signal });
  }
}
