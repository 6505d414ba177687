import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

/**
 * Source stays readable in a side-by-side diff: Biome wraps code at 140
 * columns (`npm run format:check`), but it leaves long strings, template
 * literals and comments alone. This holds those to 160 too. Generated code
 * (the Prisma client, the CLI's types from /v1/openapi.json) is not ours to
 * wrap.
 */
const root = path.resolve(import.meta.dirname, "..");
const LIMIT = 160;
const SKIPPED = new Set(["node_modules", ".git", ".next", "dist", ".data", ".artifacts", "test-results", "generated", ".generated"]);
const SOURCE = /\.(ts|tsx|mts|mjs|js|css)$/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIPPED.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

test(`no source line is longer than ${LIMIT} characters`, () => {
  const long = sources(root).flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, i) => (line.length > LIMIT ? [`${path.relative(root, file)}:${i + 1} (${line.length})`] : [])),
  );
  assert.deepEqual(long, []);
});

test("the walk sees the tree (a wrong root would pass vacuously)", () => {
  const files = sources(root).map((file) => path.relative(root, file));
  assert.ok(files.includes("server.ts"));
  assert.ok(files.includes(path.join("lib", "api", "route.ts")));
  assert.ok(!files.some((file) => file.startsWith(`node_modules${path.sep}`)));
});
