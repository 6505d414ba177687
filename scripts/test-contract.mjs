#!/usr/bin/env node
// `npm run test:contract [contract-dir]`: our /v1 as seen by a client generated
// from the plexsphere v1 reference contract. The contract is not part of this
// repository (CI has it beside the checkout in ../shared/reference/), so this is
// separate from `npm test`, and it fails loudly when the contract is missing.
// The newest contract's changes have no YAML upstream: they are authored as
// OpenAPI 3.1 fragments in contract/newer/*.yaml (contract/conformance.ts).
//   1. openapi-typescript turns both reference files into types in contract/.generated/ (gitignored),
//      and every newer fragment into contract/.generated/newer/<name>.d.ts;
//   2. tsc checks contract/*.ts against them: our use of the answers must fit the contract's types;
//   3. a fresh build serves the console on its embedded defaults, and
//   4. every contract/*.test.ts drives it with openapi-fetch, validating every answer with ajv
//      against the June response schemas and the newer fragments' (contract/conformance.ts);
//      then contract/coverage.test.ts checks that every operation we serve was called, by any of them.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const FILES = ["plexsphere-v1-catalog.yaml", "plexsphere-v1-identity.yaml"];
const contractDir = path.resolve(process.argv[2] ?? process.env.PLEXSPHERE_CONTRACT ?? path.join(root, "..", "shared", "reference"));
const missing = FILES.filter((f) => !existsSync(path.join(contractDir, f)));
if (missing.length > 0) {
  console.error(`\n✖ the plexsphere v1 reference contract is missing: ${missing.map((f) => path.join(contractDir, f)).join(", ")}`);
  console.error("  pass its folder as an argument or in PLEXSPHERE_CONTRACT (default: ../shared/reference/ beside the checkout).\n");
  process.exit(1);
}

const generated = path.join(root, "contract", ".generated");
const portBase = Number(process.env.E2E_PORT_BASE ?? 3100);
const port = portBase + 3;
const node = process.execPath;

function step(title, command, args, options = {}) {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.status !== 0) {
    console.error(`✖ ${title} failed`);
    process.exit(result.status ?? 1);
  }
}

rmSync(generated, { recursive: true, force: true });
mkdirSync(path.join(generated, "newer"), { recursive: true });
const newerDir = path.join(root, "contract", "newer");
const sources = [
  ...FILES.map((file) => [
    path.join(contractDir, file),
    path.join(generated, file.replace("plexsphere-v1-", "").replace(".yaml", ".d.ts")),
  ]),
  ...readdirSync(newerDir)
    .filter((file) => file.endsWith(".yaml"))
    .sort()
    .map((file) => [path.join(newerDir, file), path.join(generated, "newer", file.replace(".yaml", ".d.ts"))]),
];
for (const [source, target] of sources) {
  step(`types from ${path.relative(root, source).startsWith("..") ? path.basename(source) : path.relative(root, source)}`, node, [
    path.join(root, "node_modules/openapi-typescript/bin/cli.js"),
    source,
    "-o",
    target,
  ]);
}
const COVERAGE = "contract/coverage.test.ts";
const suites = readdirSync(path.join(root, "contract"))
  .filter((file) => file.endsWith(".test.ts"))
  .map((file) => `contract/${file}`)
  .filter((file) => file !== COVERAGE)
  .sort();
step("typecheck the contract suite against the contract's types", node, [
  path.join(root, "node_modules/typescript/bin/tsc"),
  "-p",
  path.join(root, "contract", "tsconfig.json"),
]);
// The project's one build (`npm run build`: Prisma client, `next build`, the server entry), as a deployment runs it.
step("build", "npm", ["run", "build"], { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });

const dataDir = mkdtempSync(path.join(tmpdir(), "plexsphere-contract-"));
const logFile = path.join(dataDir, "server.log");
const server = spawn(node, [path.join(root, "dist/server.mjs")], {
  cwd: root,
  detached: true,
  stdio: ["ignore", openSync(logFile, "a"), openSync(logFile, "a")],
  // What `npm start` gives a fresh machine: embedded database and secret store, the demo cast.
  env: {
    ...process.env,
    PORT: String(port),
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    APP_MODE: "demo",
    DEMO_SEED: "true",
    DATA_DIR: path.join(dataDir, "data"),
    DATABASE_URL: "",
    VAULT_ADDR: "",
    NEXTAUTH_URL: "",
  },
});
const baseUrl = `http://localhost:${port}`;

let status = 1;
try {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    const up = await fetch(`${baseUrl}/v1/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`${baseUrl} did not come up within 120 s`);
    await new Promise((r) => setTimeout(r, 300));
  }
  console.log(`\n▶ the contract suite against ${baseUrl} (contract: ${contractDir}; ${suites.join(", ")})\n`);
  // Each test file runs in its own process; the operations they call are collected here for the coverage check.
  const testEnv = {
    ...process.env,
    CONTRACT_BASE_URL: baseUrl,
    CONTRACT_DIR: contractDir,
    CONTRACT_EXERCISED: path.join(dataDir, "exercised.txt"),
  };
  const run = spawnSync(node, ["--import", "tsx", "--test", "--test-concurrency=1", "--test-reporter=spec", ...suites], {
    cwd: root,
    stdio: "inherit",
    env: testEnv,
  });
  status = run.status ?? 1;
  if (status === 0) {
    console.log(`\n▶ every operation we serve was called (${COVERAGE})\n`);
    status =
      spawnSync(node, ["--import", "tsx", "--test", "--test-reporter=spec", COVERAGE], { cwd: root, stdio: "inherit", env: testEnv })
        .status ?? 1;
  }
} catch (error) {
  console.error(`✖ ${error instanceof Error ? error.message : error}`);
} finally {
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {
    // already gone
  }
  await new Promise((r) => setTimeout(r, 500));
  if (status !== 0) console.error(`\nserver log (${logFile}):\n${readFileSync(logFile, "utf8").split("\n").slice(-40).join("\n")}`);
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(status);
