// Unit tests of the page's pure modules under Node's test runner, fed by vectors that
// tests/web/test_js_units.py computes with the Python reference (latentkin_core.genome, eth_abi).
// Run: LATENTKIN_JS_VECTORS=vectors.json node --test tests/web/js/
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { IMAGE_SIZES, api, imageSize, readableDetail, setImageSizes } from "../../../web/src/api.js";
import { decodeCustomError, explain } from "../../../web/src/errors.js";
import * as ethers from "ethers";
import { formatEther, parseEther, toQuantity, ZERO_ADDRESS } from "../../../web/src/ether-units.js";
import { loadEthers } from "../../../web/src/ethers-lazy.js";
import { flattenFamily, layoutFamily } from "../../../web/src/family.js";
import { genomeHex, parseGenome } from "../../../web/src/genome.js";
import { parseHash } from "../../../web/src/router.js";
import { approxDuration, restState } from "../../../web/src/clock.js";
import { topTraits } from "../../../web/src/tokens.js";
import { costText, eth, weth } from "../../../web/src/ui.js";
import { distinctChildren } from "../../../web/src/views/fuse-preview.js";
import { percentText } from "../../../web/src/views/fuse-odds.js";
import { geneLine, mostDifferent } from "../../../web/src/views/fuse-genes.js";
import { galleryQuery, unknownTrait } from "../../../web/src/views/gallery.js";
import { changeSince } from "../../../web/src/market/buy-dialog.js";

const vectors = JSON.parse(readFileSync(process.env.LATENTKIN_JS_VECTORS, "utf8"));
const abi = vectors.abi;

test("parseGenome matches latentkin_core.genome on every vector", () => {
  assert.ok(vectors.genomes.length >= 50);
  for (const v of vectors.genomes) {
    const g = parseGenome(v.hex);
    assert.deepEqual(g.genes, v.genes);
    assert.deepEqual(g.mains, v.mains);
    assert.deepEqual(g.subs, v.subs);
    assert.equal(genomeHex(BigInt(v.code), BigInt(v.attrs)), v.hex);
    assert.deepEqual(parseGenome("0x" + v.hex.toUpperCase()).genes, v.genes);
  }
});

test("parseGenome refuses what is not 80 hex digits", () => {
  for (const bad of ["", "0x", "12", "g".repeat(80), "0".repeat(79), "0".repeat(81), null]) {
    assert.throws(() => parseGenome(bad), /not a genome/);
  }
});

test("custom errors are decoded into plain words once the wallet has loaded ethers, and left undecoded before", async () => {
  assert.equal(decodeCustomError(vectors.errors[0].data, abi), null); // ethers not loaded yet: no decoding
  await loadEthers();
  for (const v of vectors.errors) {
    const decoded = decodeCustomError(v.data, abi);
    assert.equal(decoded.name, v.name);
    assert.equal(decoded.text, v.text);
    // The same data nested the way wallets and ethers wrap it.
    const wrapped = { code: "CALL_EXCEPTION", info: { error: { code: -32603, data: { data: v.data } } } };
    assert.deepEqual(explain(wrapped, abi), { kind: "contract", name: v.name, text: v.text });
  }
  assert.equal(decodeCustomError("0xdeadbeef", abi), null);
});

test("wallet failures are explained in plain words", () => {
  assert.equal(explain({ code: 4001, message: "User rejected the request." }, abi).kind, "rejected");
  assert.equal(explain({ code: "ACTION_REJECTED" }, abi).kind, "rejected");
  const funds = explain({ error: { code: -32000, message: "Sender doesn't have enough funds to send tx." } }, abi);
  assert.equal(funds.kind, "funds");
  assert.match(funds.text, /does not have enough ether/);
  assert.equal(explain({ code: "INSUFFICIENT_FUNDS" }, abi).kind, "funds");
  assert.match(explain({ code: -32002 }, abi).text, /already has a request waiting/);
  assert.equal(explain(new TypeError("Failed to fetch"), abi).kind, "network");
  assert.match(explain(new Error("boom"), abi).text, /^Something went wrong: boom$/);
});

test("family JSON keeps each character's fusion mode, from either tree", () => {
  const json = {
    ancestors: { token_id: 5, fusion_mode: "blend", parents: [{ token_id: 3, fusion_mode: null, parents: [] }] },
    descendants: { token_id: 5, fusion_mode: "blend", children: [{ token_id: 6, fusion_mode: "crossover", children: [] }] },
  };
  const nodes = flattenFamily(json);
  assert.equal(nodes.get(5).mode, "blend");
  assert.equal(nodes.get(3).mode, null);
  assert.equal(nodes.get(6).mode, "crossover");
});

test("family JSON of the service flattens to parent links both ways", () => {
  const json = {
    token_id: 5,
    ancestors: { token_id: 5, parents: [
      { token_id: 3, parents: [{ token_id: 1, parents: [] }, { token_id: 2, parents: [] }] },
      { token_id: 4, parents: [] }] },
    descendants: { token_id: 5, children: [{ token_id: 6, children: [] }, { token_id: 8, children: [] }] },
  };
  const nodes = flattenFamily(json);
  assert.deepEqual([...nodes.keys()].sort(), [1, 2, 3, 4, 5, 6, 8]);
  assert.deepEqual(nodes.get(5).parents, [3, 4]);
  assert.deepEqual(nodes.get(3).parents, [1, 2]);
  assert.deepEqual(nodes.get(6).parents, [5]);

  const { placed, edges } = layoutFamily(nodes, 5, 2);
  const at = (id) => placed.find((n) => n.id === id);
  assert.equal(at(5).level, 0);
  assert.ok(at(5).root);
  assert.equal(at(3).level, -1);
  assert.equal(at(1).level, -2);
  assert.equal(at(6).level, 1);
  assert.ok(at(3).x < at(5).x && at(5).x < at(4).x, "parents either side of the child");
  assert.ok(at(1).x < at(3).x && at(3).x < at(2).x, "grandparents either side of their child");
  assert.equal(at(5).x, (at(6).x + at(8).x) / 2, "children centred under the root");
  assert.equal(edges.length, 6); // 5-3, 5-4, 3-1, 3-2, 5-6, 5-8
});

test("hash routes parse into parts and params", () => {
  const { parts, params } = parseHash("#/fuse?a=1&b=2");
  assert.deepEqual(parts, ["fuse"]);
  assert.equal(params.get("a"), "1");
  assert.deepEqual(parseHash("").parts, []);
  assert.deepEqual(parseHash("#/token/12").parts, ["token", "12"]);
});

test("images are fetched at display size x 3/4 of a dense screen's ratio, never stretched at ratio 1", () => {
  assert.equal(imageSize(64, 1), 64);
  assert.equal(imageSize(64, 2), 128);
  assert.equal(imageSize(96, 1), 128);
  assert.equal(imageSize(128, 3), 512);
  assert.equal(imageSize(320, 1), 512);
  assert.equal(imageSize(320, 3), IMAGE_SIZES.at(-1)); // beyond the largest: the largest
  assert.equal(imageSize(52), 64); // Node has no devicePixelRatio: ratio 1
  assert.equal(imageSize(160, 1.75), 256); // a gallery card on a 1.75x phone: 3/4 of its density (Lighthouse's allowance)
  assert.equal(imageSize(160, 1), 256);
  assert.match(api.tokenImage(7, 96), /^\/tokens\/7\/image\.webp\?size=128$/);
  setImageSizes([256, 64, 128]); // a 64 px renderer: /config.json lists at most 4x its size
  assert.equal(imageSize(320, 1), 256);
  setImageSizes(undefined); // an older service without the list: unchanged
  assert.deepEqual(IMAGE_SIZES, [64, 128, 256]);
  setImageSizes([64, 128, 256, 512]);
});

test("cooldowns read as time from the chain's pace, the block number kept for the hover", () => {
  assert.equal(approxDuration(0), "~1 s");
  assert.equal(approxDuration(40), "~40 s");
  assert.equal(approxDuration(720), "~12 min");
  assert.equal(approxDuration(3 * 3600), "~3 h");
  assert.equal(approxDuration(5 * 86400), "~5 days");
  const resting = restState({ cooldownUntil: 360, fusionCount: 1 }, 300, 12);
  assert.deepEqual([resting.ready, resting.text], [false, "resting: ready in ~12 min"]);
  assert.match(resting.title, /ready from block 360 \(now 300, 60 blocks to go\)/);
  assert.equal(restState({ cooldownUntil: 300, fusionCount: 1 }, 300, 12).ready, true);
  assert.equal(restState({ cooldownUntil: 0, fusionCount: 0 }, null, 12).text, "ready to fuse");
  const worn = restState({ cooldownUntil: 0, fusionCount: 16 }, 300, 12);
  assert.deepEqual([worn.ready, worn.worn], [false, true]);
});

test("costs are said in words, never as 0.0 ETH", () => {
  assert.equal(costText(0n, 0n), "Cost: no fee, you pay only the gas.");
  assert.equal(costText(10n ** 15n, 0n), "Cost: 0.001 ETH (fusion fee 0.001 ETH), plus gas.");
  assert.equal(costText(10n ** 15n, 2n * 10n ** 15n), "Cost: 0.003 ETH (fusion fee 0.001 ETH plus offers 0.002 ETH), plus gas.");
  assert.equal(costText(0n, 10n ** 18n), "Cost: 1 ETH (offers 1 ETH), plus gas.");
  assert.equal(eth(0n), "0 ETH");
});

test("a card names the rarest traits first", () => {
  const traits = [
    { trait: "Hair", value: "Short", rarity: "common" }, { trait: "Eyes", value: "Wink", rarity: "rare" },
    { trait: "Mouth", value: "Smile", rarity: "uncommon" }, { trait: "Skin", value: "Pale", rarity: "rare" },
  ];
  assert.deepEqual(topTraits(traits).map((t) => t.value), ["Wink", "Pale"]);
  assert.deepEqual(topTraits(traits, 3).map((t) => t.value), ["Wink", "Pale", "Smile"]);
});

test("the preview shows the most different possibilities", () => {
  const child = (...values) => ({ traits: values.map((value, i) => ({ trait: `t${i}`, value })) });
  const children = [child("a", "x"), child("a", "x"), child("a", "y"), child("b", "z"), child("a", "x")];
  const picked = distinctChildren(children, 3);
  assert.deepEqual(picked, [0, 3, 2]);
  assert.equal(distinctChildren(children, 9).length, 5);
});

test("the gallery's URL filters become the service's query", () => {
  const q = galleryQuery(new URLSearchParams("sort=oldest&gen=1&trait=Eyes:Wink&ready=0&sale=1&owner=0x" + "ab".repeat(20)));
  assert.deepEqual(q, { sort: "oldest", generation: "1", trait: ["Eyes:Wink"], ready: "false", for_sale: "true",
    owner: "0x" + "ab".repeat(20) });
  for (const sort of ["rarest", "cheapest", "dearest"]) assert.equal(galleryQuery(new URLSearchParams(`sort=${sort}`)).sort, sort);
  for (const sort of ["newest", "__proto__", "toString", ""]) assert.equal(galleryQuery(new URLSearchParams(`sort=${sort}`)).sort, undefined);
  const junk = galleryQuery(new URLSearchParams("sort=x&gen=-1&trait=Eyes&ready=2&sale=yes&owner=me"));
  assert.deepEqual(junk, { sort: undefined, generation: undefined, trait: [], ready: undefined, for_sale: undefined,
    owner: undefined });
});

test("the buy dialog says what changed since the page loaded, and when the zone must refuse the listing", () => {
  const token = { fusionCount: 0, cooldownUntil: 0 };
  const view = { order: { parameters: { orderType: 2, zoneHash: "0xAA" } } };
  assert.equal(changeSince(token, view, { fusions: 0, restingUntil: 0, zoneHash: "0xaa" }, 10), null);
  const fused = changeSince(token, view, { fusions: 1, restingUntil: 14, zoneHash: "0xbb" }, 10);
  assert.equal(fused.stale, true);
  assert.match(fused.text, /fusions used: 0 then, 1 now/);
  assert.match(fused.text, /resting until block 14/);
  assert.match(fused.text, /zone will refuse/);
  const open = { order: { parameters: { orderType: 0, zoneHash: "0x00" } } }; // an unprotected order: a warning only
  assert.equal(changeSince(token, open, { fusions: 1, restingUntil: 0, zoneHash: "0xbb" }, 10).stale, false);
  assert.equal(changeSince(token, view, null, 10).stale, false);
});

test("percentText writes a chance to one decimal, and a tiny one as below 0.1 %", () => {
  const nbsp = "\u00a0"; // the number and its sign never part at a line end
  assert.equal(percentText(48.828125), `48.8${nbsp}%`);
  assert.equal(percentText(100), `100.0${nbsp}%`);
  assert.equal(percentText(0), `0.0${nbsp}%`);
  assert.equal(percentText(0.0381), `<${nbsp}0.1${nbsp}%`);
  assert.equal(percentText(0.05), `0.1${nbsp}%`);
});

test("amounts of ether show at most 4 decimals, rounded, and WETH is named once", () => {
  assert.equal(eth(499718750000000000n), "0.4997 ETH"); // a Dutch auction's price between two blocks
  assert.equal(eth(1999718750000000000n), "1.9997 ETH");
  assert.equal(eth(49999n * 10n ** 13n), "0.5 ETH"); // 0.49999 rounds to nearest
  assert.equal(eth(10n ** 18n), "1 ETH");
  assert.equal(eth(10n ** 10n), "< 0.0001 ETH"); // never "0 ETH" for something
  assert.equal(eth(499718750000000000n, { exact: true }), "0.49971875 ETH");
  assert.equal(weth(5n * 10n ** 16n), "0.05 WETH");
});

test("a failed request reads as the service's words, never as JSON", () => {
  const listed = { detail: [{ loc: ["query", "trait"], msg: "Eyes has no value 'Nope'; values: Happy, Wink", type: "value_error" }] };
  assert.equal(readableDetail(listed), "Eyes has no value 'Nope'; values: Happy, Wink");
  assert.equal(readableDetail({ detail: [{ loc: ["path", "token_id"], msg: "Value error, a token id is odd", type: "value_error" }] }), "a token id is odd");
  assert.equal(readableDetail({ detail: "character #9 does not exist" }), "character #9 does not exist");
  assert.equal(readableDetail({ detail: [{ nothing: 1 }] }), null);
});

test("a trait filter the service does not know is said in a sentence", () => {
  const traits = [{ name: "Eyes", values: ["Happy", "Wink"] }, { name: "Hair", values: ["Long"] }];
  assert.equal(unknownTrait(traits, ["Eyes:Wink", "Hair:Long"]), null);
  assert.equal(unknownTrait(traits, ["Eyes:Nope"]), "Eyes has no value “Nope”: pick one of its values in the Trait list above.");
  assert.equal(unknownTrait(traits, ["Ears:Big"]), "There is no trait called “Ears”: pick one of Eyes, Hair in the Trait list above.");
  assert.equal(unknownTrait([], ["Ears:Big"]), null);
});

test("ether units answer exactly as ethers does, without loading it on the first paint", () => {
  let seed = 7n;
  const next = () => (seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 64n));
  const amounts = [0n, 1n, -1n, 10n ** 18n, -(10n ** 18n), 499718750000000000n, 10n ** 30n + 7n];
  for (let i = 0; i < 300; i++) amounts.push(((next() * next()) >> (next() % 100n)) * (i % 2 ? 1n : -1n));
  for (const wei of amounts) {
    assert.equal(formatEther(wei), ethers.formatEther(wei), String(wei));
    assert.equal(parseEther(formatEther(wei)), wei);
    if (wei >= 0n) assert.equal(toQuantity(wei), ethers.toQuantity(wei));
  }
  const texts = ["1", ".5", "1.", "-1", "-.5", "01.5", "-0", "00", "0.1000000000000000000", "0.000000000000000001",
    "123456789.123456789123456789", "", ".", "-", "1e3", " 1", "+1", "1.2.3", "abc", "0x10", "0.0000000000000000001"];
  for (const text of texts) {
    let expected;
    try {
      expected = ethers.parseEther(text);
    } catch {
      expected = "refused";
    }
    let got;
    try {
      got = parseEther(text);
    } catch {
      got = "refused";
    }
    assert.equal(got, expected, JSON.stringify(text));
  }
  assert.equal(ZERO_ADDRESS, ethers.ZeroAddress);
});

test("geneLine says what each mode makes of a gene, mostDifferent picks the genes the parents differ on most", () => {
  const width = { index: 0, name: "face_width", low: "narrow", high: "wide" };
  assert.equal(geneLine(width, 3, 12, 5, 9),
    "Face width: #5 has 3, #9 has 12 (narrow (0) to wide (15)) — crossover gives 3 or 12, blend 7 or 8.");
  assert.equal(geneLine(width, 4, 6, 5, 9).endsWith("crossover gives 4 or 6, blend 5."), true);
  const roles = Array.from({ length: 64 }, (_, j) => ({ index: j, name: `gene_${j}`, low: "lo", high: "hi" }));
  const hexOf = (genes) => Array.from({ length: 64 }, (_, k) => genes[63 - k].toString(16)).join("") + "0".repeat(16);
  const a = Array(64).fill(5);
  const b = Array(64).fill(5);
  b[7] = 15; b[3] = 0; b[40] = 10; b[2] = 6; b[9] = 0;
  const picked = mostDifferent(roles, hexOf(a), hexOf(b));
  assert.deepEqual(picked.map(([role, x, y]) => [role.index, x, y]), [[7, 5, 15], [3, 5, 0], [9, 5, 0], [40, 5, 10]]);
  assert.deepEqual(mostDifferent(roles, hexOf(a), hexOf(a)), []);
});
