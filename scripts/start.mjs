#!/usr/bin/env node
// `npm start`: build only when the sources changed since the last build
// (scripts/start-build.mjs), then serve it with `next start` in this very
// process, so signals, the shutdown grace and the exit code are Next's own
// and no second Node process sits in memory.
import { spawnSync } from "node:child_process";
import v8 from "node:v8";
import nextEnv from "@next/env";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { DIGEST_FILE, buildDecision, sourceDigest } from "./start-build.mjs";

const root = path.resolve(import.meta.dirname, "..");
const decision = buildDecision(root);
if (decision.build) {
  console.log(`building: ${decision.reason}`);
  // The digest is taken before building: a file edited during the build makes the next start build again.
  const digest = sourceDigest(root);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const build = spawnSync(npm, ["run", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(path.join(root, DIGEST_FILE), `${digest}\n`);
}

// The embedded database is PostgreSQL compiled to WebAssembly, in this process.
// V8 compiles WebAssembly twice, a quick baseline and then optimised code for
// what runs often, and keeps both: about 100 MB of the console's idle memory
// (PGlite's and Prisma's query compiler's). Without DATABASE_URL the console
// keeps the baseline code only: a smaller, somewhat slower embedded database,
// for the installs that chose no server. Set before any WebAssembly compiles.
// DATABASE_URL may come from a .env file, which Next reads: read it the same way first.
nextEnv.loadEnvConfig(root, false, { info: () => {}, error: console.error });
if (!process.env.DATABASE_URL) v8.setFlagsFromString("--liftoff-only");

process.argv = [process.argv[0], path.join(root, "node_modules/next/dist/bin/next"), "start", ...process.argv.slice(2)];
await import("next/dist/bin/next");
