import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeCursor, encodeCursor, parseLimit } from "./cursor";

describe("list cursors", () => {
  test("round-trip for their caller; another caller's is a binding mismatch; any edit is invalid", async () => {
    const cursor = await encodeCursor("alice", { createdAt: "2026-01-01T00:00:00.000Z", id: "x" });
    assert.deepEqual(await decodeCursor("alice", cursor), { createdAt: "2026-01-01T00:00:00.000Z", id: "x" });
    await assert.rejects(decodeCursor("bob", cursor), { code: "cursor_binding_mismatch", status: 403 });
    const [body, mac] = cursor.split(".");
    const edited = Buffer.from(JSON.stringify({ p: { createdAt: "1970-01-01T00:00:00.000Z", id: "x" }, c: "alice" })).toString("base64url");
    for (const forged of [`${edited}.${mac}`, `${body}.${mac.slice(1)}`, body, `${body}.${mac}.x`, "", "%%%"]) {
      await assert.rejects(decodeCursor("alice", forged), { code: "invalid_cursor", status: 400 }, forged);
    }
  });

  test("limit is an integer from 1 to 200", () => {
    assert.equal(parseLimit(null), 50);
    assert.equal(parseLimit("200"), 200);
    for (const bad of ["0", "201", "1.5", "-1", "ten", ""]) assert.throws(() => parseLimit(bad), { code: "invalid_limit" }, bad);
  });
});
