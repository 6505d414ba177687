#!/usr/bin/env node
// Bundles the server entry (server.ts) and the code it reaches in lib/ and
// app/v1 into dist/server.mjs, which `npm start` runs (`npm run build` runs
// this after `next build`). Packages stay external, resolved by Node at run
// time as Next resolves them, except `server-only`, whose server build is
// empty: bundled with the react-server condition it costs nothing, while
// loaded by Node without that condition it would refuse to load.
// Split into chunks so server.ts's dynamic imports load their packages
// (PGlite, Prisma, Next) only after it has set the V8 flag and NODE_ENV.
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const outdir = path.join(root, "dist");

/**
 * A package's subpath as Node's ESM loader finds it: a package without an
 * exports map (next: `next/headers`) is resolved file by file, so the
 * subpath needs the extension CommonJS would have tried.
 */
function esmSubpath(specifier) {
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  const subpath = specifier.slice(name.length + 1);
  if (!subpath || path.extname(subpath)) return specifier;
  const packageDir = path.join(root, "node_modules", name);
  const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8"));
  if (manifest.exports || !existsSync(path.join(packageDir, `${subpath}.js`))) return specifier;
  return `${specifier}.js`;
}

/** Bare imports are external, but for `server-only` (the bundle is the server). */
const externalPackages = {
  name: "external-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path === "server-only" || args.path.startsWith("@/") || args.path.startsWith("node:")) return undefined;
      return { path: esmSubpath(args.path), external: true };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { server: "server.ts" },
  outdir,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  conditions: ["react-server"],
  tsconfig: "tsconfig.json",
  loader: { ".json": "json" },
  plugins: [externalPackages],
  sourcemap: "linked",
  logLevel: "warning",
});
console.log(`built ${path.relative(root, path.join(outdir, "server.mjs"))}`);
