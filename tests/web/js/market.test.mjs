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
