// Gallery cards' market line: the price of a listed character (or its Dutch auction's price now) and its
// last sale, written into each card's market slot (`[data-slot="market-price"]`, see tokenCard in ui.js) from
// one GET /market call for the whole page of cards.
import { getJson } from "../api.js";
import { eth } from "../ui.js";

/** The words of a card's market line for a /market item: [] when neither listed nor ever sold. */
export function cardText(item) {
  const out = [];
  const listing = item.listing;
  if (listing && listing.start_price !== listing.end_price) {
    out.push(`Auction: ${eth(listing.current_price)}, falling to ${eth(listing.end_price)}`);
  } else if (listing) {
    out.push(`For sale: ${eth(listing.current_price)}`);
  }
  if (item.last_sale) out.push(`Last sale: ${eth(item.last_sale.price)}`);
  return out;
}

/** Fills the market slot of every card under `root` (nothing when the market is unreachable). */
export async function fillMarketSlots(root, signal) {
  const slots = [...root.querySelectorAll('[data-slot="market-price"][data-token]')];
  const ids = [...new Set(slots.map((s) => s.dataset.token))].slice(0, 100);
  if (ids.length === 0) return;
  let items;
  try {
    items = (await getJson(`/market?tokens=${ids.join(",")}`)).items;
  } catch {
    return; // the cards stay as they are
  }
  if (signal?.aborted) return;
  const byId = new Map(items.map((i) => [String(i.token_id), i]));
  for (const slot of slots) {
    const item = byId.get(slot.dataset.token);
    if (item) slot.textContent = cardText(item).join(" · ");
  }
}
