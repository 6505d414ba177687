import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { baseUrl, contract } from "./harness";

/**
 * Run last, alone (scripts/test-contract.mjs): every operation a contract
 * generation (June subsets or newer fragments) defines and our
 * /v1/openapi.json serves was called through a generated client by one of
 * the contract/*.test.ts files, which record each call in CONTRACT_EXERCISED.
 */
test("every operation of the contract we serve was called through a generated client", async () => {
  const ours = await (await fetch(`${baseUrl}/v1/openapi.json`)).json();
  const served = contract.servedOperations(ours);
  const file = process.env.CONTRACT_EXERCISED!;
  const exercised = new Set(existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : []);
  const missing = served.filter((op) => !exercised.has(op));
  console.log(`contract operations we serve: ${served.length}; exercised through a generated client: ${served.length - missing.length}`);
  assert.ok(served.length >= 25, `our /v1/openapi.json names only ${served.length} of the contract's operations`);
  assert.deepEqual(missing, [], `operations of the contract we serve that no contract test called: ${missing.join(", ")}`);
});
