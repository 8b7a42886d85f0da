// The page's Seaport prices (web/src/market/price.js) against the Python reference
// (offchain.market.order.current_amount, itself checked against fills on the real Seaport).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { currentAmount } from "../../../web/src/market/price.js";

const vectors = JSON.parse(readFileSync(process.env.LATENTKIN_JS_VECTORS, "utf8"));

test("currentAmount interpolates and rounds as Seaport does, on every vector", () => {
  assert.ok(vectors.amounts.length >= 100);
  for (const { args, amount } of vectors.amounts) {
    const [start, end, startTime, endTime, now] = args.slice(0, 5).map(BigInt);
    assert.equal(currentAmount(start, end, startTime, endTime, now, args[5]), BigInt(amount), JSON.stringify(args));
  }
});

test("a card's market line: fixed price, auction, last sale, nothing", async () => {
  const { cardText } = await import("../../../web/src/market/cards.js");
  const listing = (start, end, now) => ({ start_price: start, end_price: end, current_price: now });
  const sale = { price: "250000000000000000" };
  assert.deepEqual(cardText({ listing: null, last_sale: null }), []);
  assert.match(cardText({ listing: listing("10", "10", "10"), last_sale: null })[0], /^For sale: /);
  const auction = cardText({ listing: listing("2000000000000000000", "1000000000000000000", "1500000000000000000"),
                             last_sale: sale });
  assert.equal(auction.length, 2);
  assert.match(auction[0], /^Auction: 1\.5 ETH, falling to 1(\.0)? ETH$/);
  assert.match(auction[1], /^Last sale: 0\.25 ETH$/);
});
