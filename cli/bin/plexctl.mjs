#!/usr/bin/env node
// plexctl's launcher. `npm install` bundles cli/src into cli/dist/plexctl.mjs
// (scripts/cli-build.mjs) so --help starts in well under 300 ms; when that
// bundle is missing or older than a source file (an edit since), it runs the
// TypeScript through tsx instead, slower but never stale.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bundle = path.join(cli, "dist", "plexctl.mjs");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const fresh =
  existsSync(bundle) &&
  statSync(bundle).mtimeMs >= Math.max(newestSource(path.join(cli, "src")), newestSource(path.join(cli, "generated")));
if (fresh) {
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(path.join(cli, "src", "entry.ts")).href);
}
