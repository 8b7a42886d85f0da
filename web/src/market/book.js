// The service's order book: open Seaport orders, submitting a signed one, a token's sales, and where the
// market's contracts live (Seaport 1.6, WETH and the collection's LatentKinZone, from /config.json).
import { ApiError, getJson } from "../api.js";

let marketConfig = null;

/** {seaport, weth, zone} of this chain (zone null: orders are open), or null when the service knows no market here. */
export async function market() {
  marketConfig ??= getJson("/config.json")
    .then((c) => (c.seaport && c.weth ? { seaport: c.seaport, weth: c.weth, zone: c.zone ?? null } : null));
  return marketConfig;
}

/** Open orders: {token, maker, side} filters; cheapest listing / highest offer first. */
export async function openOrders({ token, maker, side } = {}) {
  const q = new URLSearchParams(Object.entries({ token, maker, side }).filter(([, v]) => v !== undefined && v !== null));
  return (await getJson(`/orders?${q}`)).items;
}

/** A token's sales, newest first. */
export async function sales(tokenId) {
  return (await getJson(`/tokens/${tokenId}/sales`)).items;
}

/** Puts a signed order ({parameters, signature}) in the book; the stored order, or ApiError(422) with the reason. */
export async function submitOrder(order) {
  let response;
  try {
    response = await fetch("/orders", {
      method: "POST", headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(order, (_, v) => (typeof v === "bigint" ? v.toString() : v)),
    });
  } catch {
    throw new ApiError(0, "The latentkin service cannot be reached.");
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = Array.isArray(body.detail) ? body.detail.map((d) => d.msg).join("; ") : body.detail;
    throw new ApiError(response.status, `The order book refused the order: ${detail ?? response.statusText}`);
  }
  return body;
}
