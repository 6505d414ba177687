#!/usr/bin/env node
// Bundles plexctl (cli/src, with commander, openapi-fetch and yaml) into one
// ESM file, cli/dist/plexctl.mjs (plus lazily loaded chunks), so the launcher starts without a TypeScript
// loader. Runs at `npm install` (postinstall) and before the CLI tests.
import path from "node:path";

// esbuild is a devDependency: an install without them still succeeds, and the launcher then runs the TypeScript.
const esbuild = await import("esbuild").catch(() => undefined);
if (!esbuild) {
  console.warn("plexctl: esbuild is not installed; cli/bin/plexctl.mjs will run cli/src through tsx");
  process.exit(0);
}
const { build } = esbuild;

const root = path.resolve(import.meta.dirname, "..");
await build({
  entryPoints: [path.join(root, "cli", "src", "entry.ts")],
  outdir: path.join(root, "cli", "dist"),
  entryNames: "plexctl",
  chunkNames: "chunks/[name]-[hash]",
  outExtension: { ".js": ".mjs" },
  // Split so dynamic imports (yaml, for --output yaml) load only when used.
  splitting: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Bundled CommonJS dependencies (commander) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __plexctlRequire } from 'node:module'; const require = __plexctlRequire(import.meta.url);" },
  logLevel: "warning",
});
