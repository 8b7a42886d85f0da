// Character page: portrait, traits (main and hidden sub), lineage facts, genome barcode,
// fusion seed, then the family tree (views/family-tree.js), the fusion offer (views/offer.js) and the market
// (market/section.js).
import { barcode } from "../barcode.js";
import { h, mount } from "../dom.js";
import { parseGenome } from "../genome.js";
import { restState } from "../clock.js";
import { link } from "../router.js";
import { normToken } from "../tokens.js";
import { heading, message, sameAddress, shortAddress, sleep } from "../ui.js";
import { familySection } from "./family-tree.js";
import { genesSection } from "./genes.js";
import { inheritanceSection } from "./inheritance.js";
import { offerSection } from "./offer.js";
import { marketSection } from "../market/section.js";

const WAIT_FOR_INDEX_MS = 90_000;
export const PORTRAIT_PX = 320; // the portrait's width and height on the page

/** Loads a token, waiting only while its id belongs to a request not completed yet (the service says
 * `pending`); an id nobody holds is a 404 at once. */
async function loadToken(app, id, signal, onWait) {
  const until = Date.now() + WAIT_FOR_INDEX_MS;
  for (;;) {
    try {
      return normToken(await app.api.token(id));
    } catch (err) {
      if (err.status !== 404 || !err.pending || Date.now() > until || signal.aborted) throw err;
      onWait();
      await sleep(1000, signal);
      if (signal.aborted) throw err;
    }
  }
}

/** The hash prefix (?v=) of the renderer that drew the token's portrait, if its image URL names one. */
function rendererOf(token) {
  try {
    return new URL(token.raw.image, location.href).searchParams.get("v") || undefined;
  } catch {
    return undefined;
  }
}

function traitRows(token, genome) {
  const traits = Array.isArray(token.raw.traits) ? token.raw.traits : [];
  return genome.mains.map((main, i) => {
    const t = traits[i];
    return h("tr", {}, [
      h("th", { scope: "row" }, [t?.trait ?? `Trait ${i + 1}`]),
      h("td", {}, [t ? `${t.value}` : `value ${main}`, t?.rarity ? h("span", { class: "rarity" }, [` ${t.rarity}`]) : null]),
      h("td", {}, [t ? `${t.hidden}` : `value ${genome.subs[i]}`]),
    ]);
  });
}

function seedText(token) {
  if (token.seed) return String(token.seed);
  return token.parents.length ? "being read from the fusion event…" : "none (not born of a fusion)";
}

/** Who completed the request that made the token (the Fused / PublicMinted event's completer). */
function completerNode(app, token) {
  if (!token.completedBy) return h("span", { id: "completer" }, ["being read from the fusion event…"]);
  const you = sameAddress(token.completedBy, app.wallet.account);
  return h("span", { id: "completer", title: token.completedBy }, [you ? "you" : shortAddress(token.completedBy)]);
}

/** A child read live from the chain lacks its seed (and completer) until the service indexes its Fused event. */
async function awaitSeed(app, token, signal) {
  const until = Date.now() + WAIT_FOR_INDEX_MS;
  while (!token.seed && token.parents.length && !signal.aborted && Date.now() < until) {
    await sleep(1000, signal);
    try {
      const fresh = normToken(await app.api.token(token.id));
      if (fresh.seed && !signal.aborted) {
        token.seed = fresh.seed;
        token.completedBy = fresh.completedBy;
        const cell = document.getElementById("seed");
        if (cell) cell.textContent = seedText(token);
        document.getElementById("completer")?.replaceWith(completerNode(app, token));
      }
    } catch { /* try again */ }
  }
}

/** Refreshes owner, fusion count and cooldown from the chain when a wallet is on it; returns the head block. */
async function freshLineage(app, token) {
  try {
    if (!app.wallet.ready) return (await app.chainClock())?.head ?? null;
    const contract = await app.wallet.contract();
    const [lineage, owner, head, max] = await Promise.all([
      contract.lineageOf(token.id), contract.ownerOf(token.id), app.wallet.blockNumber(), contract.MAX_FUSIONS()]);
    Object.assign(token, {
      owner, fusionCount: Number(lineage.fusionCount), cooldownUntil: Number(lineage.cooldownUntil), maxFusions: Number(max),
    });
    return head;
  } catch {
    return null; // the service's figures stay
  }
}

function facts(app, token, currentBlock, blockSeconds) {
  const you = sameAddress(token.owner, app.wallet.account);
  const state = restState(token, currentBlock, blockSeconds, token.maxFusions ?? 16);
  const rest = h("span", { id: "cooldown", class: state.ready ? "is-ready" : "is-resting", title: state.title || null }, [state.text]);
  const parents = token.parents.length
    ? token.parents.flatMap((p, i) => [i ? " and " : "", h("a", { href: link("token", p) }, [`#${p}`])])
    : ["none — a first-generation character"];
  const row = (term, ...value) => [h("dt", {}, [term]), h("dd", {}, value)];
  return h("dl", { class: "facts" }, [
    row("Owner", you ? "you" : h("span", { title: token.owner ?? "" }, [shortAddress(token.owner)])),
    row("Generation", String(token.generation ?? "?")),
    row("Fusions", `${token.fusionCount ?? "?"}${token.maxFusions ? ` of at most ${token.maxFusions}` : ""}`),
    row("Fusion state", rest),
    row("Parents", ...parents),
    ...(token.parents.length && token.fusionMode ? row("Fusion", token.fusionMode) : []),
    row("Fusion seed", h("code", { class: "hex", id: "seed" }, [seedText(token)])),
    token.completedBy || (token.parents.length && !token.seed) ? row("Completed by", completerNode(app, token)) : null,
    row("Genome", h("code", { class: "hex" }, [token.genome ?? "?"])),
  ]);
}

/** Who turns a request into a character: true whether or not a keeper runs. */
const WHO_COMPLETES = "once its reveal block has arrived, anyone may complete it (its requester gets a Complete button; "
  + "a keeper, where one runs, does it within a block or two).";

/** Why there is no character `id`, in a sentence: the service's 404 or 422. */
function missingText(id, err) {
  if (err.status === 422) return `There is no character #${id}: character ids are whole numbers from #1 up.`;
  if (err.pending) return `Character #${id} is still a request waiting to be completed: ${WHO_COMPLETES}`;
  const newest = err.message.match(/last id handed out is (\d+)/);
  return `Character #${id} does not exist.${newest ? ` The newest id is #${newest[1]}.` : ""}`;
}

/** Renders the character page of token `id`. */
export async function tokenView(app, { args: [id], signal }) {
  const body = h("div", { class: "token-body" });
  mount(app.view, heading(`Character #${id}`), body);
  const everyCharacter = h("p", {}, [h("a", { href: link("gallery") }, ["See every character"])]);
  if (!Number.isSafeInteger(id) || id < 1) {
    mount(body, message(`There is no character #${id}: character ids are whole numbers from #1 up.`, "error"), everyCharacter);
    return;
  }
  mount(body, message("Loading the character…"));
  // The portrait is the page's largest picture: fetch it alongside the character's data, not after it.
  const portraitImage = h("img", { src: app.api.tokenImage(id, PORTRAIT_PX), width: PORTRAIT_PX, height: PORTRAIT_PX, id: "portrait", alt: "",
    fetchpriority: "high" });
  let token;
  try {
    token = await loadToken(app, id, signal, () => mount(body, message(`Character #${id} is a request waiting to be completed: ${WHO_COMPLETES}`)));
  } catch (err) {
    if (!signal.aborted) {
      const retry = h("button", { type: "button", onclick: () => app.router.show() }, ["Try again"]);
      if (err.status === 404 || err.status === 422) mount(body, message(missingText(id, err), "error"), everyCharacter);
      else mount(body, message(`Character #${id} could not be loaded: ${err.message}`, "error"), h("p", {}, [retry]), everyCharacter);
    }
    return;
  }
  if (signal.aborted) return;
  let genome = null;
  try {
    genome = parseGenome(token.genome);
  } catch { /* shown as "?" */ }
  const [currentBlock, clock, inheritance, geneMap] = await Promise.all([freshLineage(app, token), app.chainClock(),
    app.api.inheritance(id).catch(() => null), // without it the page lacks only the passing-on section
    app.api.genes(rendererOf(token)).catch(() => null)]); // without it the barcode has no gene tooltips
  if (signal.aborted) return;

  const traitList = (token.raw.traits ?? []).map((t) => `${t.trait}: ${t.value}`).join(", ");
  // Named now that its traits are known (if it already failed, dom.js drew the placeholder: say so too).
  const missing = portraitImage.classList.contains("portrait-missing") ? " (portrait not available right now)" : "";
  portraitImage.alt = `Portrait of character #${id}${traitList ? ` — ${traitList}` : ""}${missing}`;
  const portrait = h("figure", { class: "portrait" }, [
    portraitImage,
    h("figcaption", {}, [token.name]),
  ]);
  const traits = genome ? h("table", { class: "traits" }, [
    h("caption", {}, ["Traits: the shown (main) value and the hidden (sub) value each may pass on"]),
    h("thead", {}, [h("tr", {}, [h("th", { scope: "col" }, ["Trait"]), h("th", { scope: "col" }, ["Shown"]), h("th", { scope: "col" }, ["Hidden"])])]),
    h("tbody", {}, traitRows(token, genome)),
  ]) : message("This genome could not be read.", "error");
  const roles = geneMap?.genes ?? [];
  const code = genome ? h("figure", { class: "genome" }, [
    barcode(genome, { roles }),
    h("figcaption", {}, ["Genome barcode: 64 code genes (4 bits each, gene 0 on the left), then the 8 traits as shown (dark) and hidden (pale) values.",
      roles.length ? " Point at a gene to see what it drives." : ""]),
    genesSection(genome, roles),
  ]) : null;

  // The top of the page shows at once; the family tree, the fusion offer and the market follow, in order.
  const slots = [document.createComment("family"), document.createComment("offer"), document.createComment("market")];
  mount(body,
    h("div", { class: "token-top" }, [portrait, h("div", { class: "token-facts" }, [facts(app, token, currentBlock ?? clock?.head ?? null, clock?.blockSeconds ?? 12), traits])]),
    code,
    inheritance ? inheritanceSection(inheritance) : null,
    ...slots);
  const sections = [() => familySection(app, token, signal), () => offerSection(app, token, signal),
    () => marketSection(app, token, signal, currentBlock)];
  for (const [i, section] of sections.entries()) {
    const shown = await section();
    if (signal.aborted) return;
    if (shown) slots[i].replaceWith(shown);
    else slots[i].remove();
  }
  awaitSeed(app, token, signal);
}
