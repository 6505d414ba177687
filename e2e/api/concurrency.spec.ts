import { runConcurrentIssues } from "../../testing/concurrent-issues";
import { expect, test } from "../fixtures";
import { seededCaller } from "./callers";

/**
 * 200 concurrent issues by two operators with a viewer's reads in between,
 * every answer checked against its caller. On the embedded target this is
 * what broke when PGlite's one session was shared by several connections.
 */
test("200 concurrent issues each answer with the caller's own credential", async ({ target }) => {
  test.setTimeout(180_000);
  const operators = [
    await seededCaller(target, { label: "conc-op-a", platformAdmin: true }),
    await seededCaller(target, { label: "conc-op-b", platformAdmin: true }),
  ];
  const viewer = await seededCaller(target, { label: "conc-viewer" });
  const result = await runConcurrentIssues({
    baseUrl: target.baseURL,
    operatorTokens: operators.map((o) => o.token),
    viewerToken: viewer.token,
    count: 200,
  });
  expect(result.failures).toEqual([]);
  expect(result.issued).toBe(200);
});
