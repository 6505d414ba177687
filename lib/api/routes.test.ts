import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

/**
 * The table (lib/api/routes.ts) read as text: importing it loads every
 * route module, and through them next/navigation, which needs React's
 * client build: the test runner resolves React's server build (it runs
 * with the react-server condition, as the server entry's bundle is built).
 * What the table does with a request is covered end to end (e2e/api).
 */
const appDir = path.resolve(import.meta.dirname, "../../app");
const table = readFileSync(path.join(import.meta.dirname, "routes.ts"), "utf8");

/** Every folder under app/v1 holding a route.ts, as Next names its route: `/v1/clouds/[id]`. */
function routeFolders(dir = path.join(appDir, "v1")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return routeFolders(path.join(dir, entry.name));
    return entry.name === "route.ts" ? [`/${path.relative(appDir, dir).split(path.sep).join("/")}`] : [];
  });
}

/** `import * as name from "@/app/v1/.../route"` lines, by name. */
const imported = new Map([...table.matchAll(/^import \* as (\w+) from "@\/app(\/v1\/[^"]*)\/route";$/gm)].map((m) => [m[1], m[2]]));
/** `route("/v1/...", name)` entries. */
const entries = [...table.matchAll(/^ {2}route\("([^"]+)", (\w+)\),$/gm)].map((m) => ({ pattern: m[1], module: m[2] }));

describe("the /v1 route table", () => {
  test("names every route file under app/v1 once; the catch-all is its fallback, not an entry", () => {
    const folders = routeFolders().filter((folder) => folder !== "/v1/[[...rest]]");
    assert.deepEqual(entries.map((e) => e.pattern).sort(), folders.sort());
    assert.equal(new Set(entries.map((e) => e.pattern)).size, entries.length);
    assert.equal(imported.get("unrouted"), "/v1/[[...rest]]");
  });

  test("each entry's handlers come from the route file of its own path", () => {
    for (const entry of entries) assert.equal(imported.get(entry.module), entry.pattern, entry.pattern);
  });
});
