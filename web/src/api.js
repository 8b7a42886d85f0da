// Client of the latentkin service: JSON endpoints and image URLs.

/** An HTTP error of the service, with its status and the service's own message. */
export class ApiError extends Error {
  constructor(status, message, pending = false) {
    super(message);
    this.status = status;
    this.pending = Boolean(pending); // a 404 for an id a pending request holds: it will exist
  }
}

/** The service's words for a failed request: its detail string, or the first message of a 422 list
 * ("Eyes has no value 'Nope'; values: …"); never the raw JSON. */
export function readableDetail(body) {
  if (typeof body?.detail === "string") return body.detail;
  if (typeof body?.message === "string") return body.message;
  const first = Array.isArray(body?.detail) ? body.detail.find((e) => typeof e?.msg === "string") : null;
  return first ? first.msg.replace(/^Value error, /, "") : null;
}

const prefetched = new Map(); // path -> {answer: the promise of a request started early, at}: used once
const PREFETCH_FRESH_MS = 10_000; // older than this, an early answer is not used (the chain moved on)

/** Starts a GET the page will soon make (at boot, before /config.json arrives): the first getJson of that
 * path within 10 s takes its answer instead of asking again. */
export function prefetchJson(path) {
  if (prefetched.has(path)) return;
  const answer = fetchJson(path);
  answer.catch(() => {}); // its caller sees the failure
  prefetched.set(path, { answer, at: Date.now() });
}

export async function getJson(path) {
  const early = prefetched.get(path);
  prefetched.delete(path);
  if (early && Date.now() - early.at < PREFETCH_FRESH_MS) return early.answer;
  return fetchJson(path);
}

async function fetchJson(path) {
  let response;
  let body = null;
  try {
    response = await fetch(path, { headers: { Accept: "application/json" } });
  } catch {
    throw new ApiError(0, "The latentkin service cannot be reached.");
  }
  if (!response.ok) {
    let detail = response.statusText;
    try {
      body = await response.json();
      detail = readableDetail(body) ?? detail;
    } catch {
      /* not JSON */
    }
    throw new ApiError(response.status, detail, body?.pending);
  }
  return response.json();
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const one of [v].flat()) if (one !== undefined && one !== null && one !== "") q.append(k, one);
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** Image sizes the service's active renderer serves, smallest first (from /config.json at boot). */
export const IMAGE_SIZES = [64, 128, 256, 512];

/** Adopt the sizes /config.json lists (a 64 px renderer serves up to 256: never stretched more than 4x). */
export function setImageSizes(sizes) {
  if (!Array.isArray(sizes) || sizes.length === 0) return;
  IMAGE_SIZES.splice(0, IMAGE_SIZES.length, ...[...sizes].sort((a, b) => a - b));
}

/** Of a dense screen's pixels, the share an image needs to look sharp: Lighthouse's own allowance for images
 * larger than 64 px (image-size-responsive). A 160 px card on a 1.75x phone takes the 256 px portrait, not
 * the 512 px one (2.6 times the bytes on a slow network); at ratio 1 an image is never stretched. */
const DENSE_SCREEN_SHARE = 0.75;

/** The offered size to fetch for an image shown at `displayPx` CSS pixels: the smallest that covers
 * displayPx x max(1, 0.75 x devicePixelRatio), else the largest. */
export function imageSize(displayPx, ratio = globalThis.devicePixelRatio || 1) {
  const need = displayPx * Math.max(1, DENSE_SCREEN_SHARE * ratio);
  return IMAGE_SIZES.find((s) => s >= need) ?? IMAGE_SIZES[IMAGE_SIZES.length - 1];
}

/** The path of GET /tokens with these filters (see api.tokens). */
function tokensPath({ owner, limit, cursor, sort, generation, trait, ready, for_sale } = {}) {
  return `/tokens${query({ owner, limit, cursor, sort, generation, trait, ready, for_sale })}`;
}

export const api = {
  config: () => getJson("/config.json"),
  contract: () => getJson("/contract"),
  health: () => getJson("/healthz"),
  token: (id) => getJson(`/tokens/${id}`),
  /** The gallery: sort newest | oldest, filters owner, generation, trait ("Trait:Value", a list), ready. */
  tokens: (filters) => getJson(tokensPath(filters)),
  /** Starts the requests a page's first view will make, while the page boots. */
  prefetch: { tokens: (filters) => prefetchJson(tokensPath(filters)), token: (id) => prefetchJson(`/tokens/${id}`),
    chainStatus: () => prefetchJson("/chain/status") },
  /** Head block, seconds per block, mint price / cap / minted, fusion fee: readable without a wallet. */
  chainStatus: () => getJson("/chain/status"),
  offers: ({ fuser, limit, cursor } = {}) => getJson(`/offers${query({ fuser, limit, cursor })}`),
  family: (id, depth) => getJson(`/tokens/${id}/family${query({ depth })}`),
  /** The exact odds of a and b's child (both modes unless `mode`). */
  odds: (a, b, mode) => getJson(`/fusion/odds${query({ a, b, mode })}`),
  /** What a character could pass on: its hidden traits and their chance to surface. */
  inheritance: (id) => getJson(`/tokens/${id}/inheritance`),
  /** What each code gene drives in the pictures of renderer `v` (a hash prefix; default the active one): empty
   * for renderers without a gene map. */
  genes: (v) => getJson(`/genes${query({ v })}`),
  preview: (a, b, n, mode, salt) => getJson(`/fusion/preview${query({ a, b, n, mode, salt })}`),
  /** Image URLs take the size the image is *shown* at, in CSS pixels (see imageSize); the page shows the WebP
   * copy (about a tenth of the PNG's bytes: what a phone on a slow network waits for). */
  tokenImage: (id, displayPx) => `/tokens/${id}/image.webp${query({ size: imageSize(displayPx) })}`,
  genomeImage: (hex, displayPx) => `/genomes/${hex}/image.webp${query({ size: imageSize(displayPx) })}`,
};
