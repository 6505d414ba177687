#!/usr/bin/env node
// `npm start`: build only when the sources changed since the last build
// (scripts/start-build.mjs), then serve it with `next start` in this very
// process, so signals, the shutdown grace and the exit code are Next's own
// and no second Node process sits in memory.
import { spawnSync } from "node:child_process";
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

process.argv = [process.argv[0], path.join(root, "node_modules/next/dist/bin/next"), "start", ...process.argv.slice(2)];
await import("next/dist/bin/next");
