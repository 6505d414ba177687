#!/usr/bin/env node
// `npm start`: build only when the sources changed since the last build
// (scripts/start-build.mjs), then run the server entry (dist/server.mjs,
// built from server.ts) in this very process, so its signals, shutdown
// grace and exit code are the process's own.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { DIGEST_FILE, SERVER_BUNDLE, buildDecision, sourceDigest } from "./start-build.mjs";

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

await import(pathToFileURL(path.join(root, SERVER_BUNDLE)).href);
