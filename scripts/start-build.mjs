// Whether `npm start` must build first: a digest of everything `npm run build`
// (`next build`, then the server entry's bundle) reads (sources, styles, public files, configs, the Prisma schema, the
// lockfile) is written beside the build once it succeeds; a start whose
// digest matches serves the existing build as it is.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

/** Folders whose files go into the build (tests and generated code excepted). */
export const SOURCE_DIRS = ["app", "components", "lib", "public"];
/** Single files that shape the build. */
export const SOURCE_FILES = [
  "package.json",
  "package-lock.json",
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "proxy.ts",
  "instrumentation.ts",
  "server.ts",
  "scripts/build-server.mjs",
  "prisma/schema.prisma",
];
export const DIGEST_FILE = path.join(".next", "source-digest");
/** The server entry's bundle (scripts/build-server.mjs), which `npm start` runs. */
export const SERVER_BUNDLE = path.join("dist", "server.mjs");

function walk(root, dir) {
  const full = path.join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full).flatMap((name) => {
    if (name === "node_modules" || name === "generated" || name.startsWith(".")) return [];
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) return walk(root, rel);
    // Tests never reach the build, so editing one does not cost a rebuild.
    return /\.test\.tsx?$/.test(name) ? [] : [rel];
  });
}

/** SHA-256 over each source file's path and bytes, in a fixed order. */
export function sourceDigest(root) {
  const files = [...SOURCE_DIRS.flatMap((d) => walk(root, d)), ...SOURCE_FILES.filter((f) => existsSync(path.join(root, f)))].sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash
      .update(file.split(path.sep).join("/"))
      .update("\0")
      .update(readFileSync(path.join(root, file)))
      .update("\0");
  }
  return hash.digest("hex");
}

/** `{ build: false }` when `.next` holds a finished build of exactly these sources. */
export function buildDecision(root) {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) return { build: true, reason: "no build yet" };
  if (!existsSync(path.join(root, SERVER_BUNDLE))) return { build: true, reason: "no server bundle yet" };
  const digestPath = path.join(root, DIGEST_FILE);
  if (!existsSync(digestPath)) return { build: true, reason: "the build's sources are unknown" };
  const digest = sourceDigest(root);
  if (readFileSync(digestPath, "utf8").trim() !== digest) return { build: true, reason: "sources changed since the last build", digest };
  return { build: false, reason: "the build is up to date", digest };
}
