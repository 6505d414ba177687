import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeCursor, encodeCursor, parseLimit } from "./cursor";

describe("list cursors", () => {
  test("round-trip for their caller and list; another caller's is a binding mismatch; any edit is invalid", async () => {
    const position = { createdAt: "2026-01-01T00:00:00.000Z", id: "x" };
    const cursor = await encodeCursor("alice", "clouds", position);
    assert.deepEqual(await decodeCursor("alice", "clouds", cursor), position);
    await assert.rejects(decodeCursor("bob", "clouds", cursor), { code: "cursor_binding_mismatch", status: 403 });
    const [body, mac] = cursor.split(".");
    const edited = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, "base64url").toString()), p: "zzz" })).toString(
      "base64url",
    );
    for (const forged of [`${edited}.${mac}`, `${body}.${mac.slice(1)}`, body, `${body}.${mac}.x`, "", "%%%"]) {
      await assert.rejects(decodeCursor("alice", "clouds", forged), { code: "invalid_cursor", status: 400 }, forged);
    }
  });

  test("a cursor from one list is invalid on another, and expires after a day", async () => {
    const minted = Date.parse("2026-03-01T00:00:00Z");
    const cursor = await encodeCursor("alice", "clouds", "slug-a", minted);
    await assert.rejects(decodeCursor("alice", "cloud-credentials:x", cursor, minted), { code: "invalid_cursor" });
    assert.equal(await decodeCursor("alice", "clouds", cursor, minted + 23 * 3_600_000), "slug-a");
    await assert.rejects(decodeCursor("alice", "clouds", cursor, minted + 25 * 3_600_000), { code: "invalid_cursor" });
  });

  test("limit is an integer from 1 to 200", () => {
    assert.equal(parseLimit(null), 50);
    assert.equal(parseLimit("200"), 200);
    for (const bad of ["0", "201", "1.5", "-1", "ten", ""]) assert.throws(() => parseLimit(bad), { code: "invalid_limit" }, bad);
  });
});
