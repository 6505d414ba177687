#!/usr/bin/env node
// Runs every *.test.ts twice: against a fresh database on a real PostgreSQL
// server, and against the embedded PGlite. A missing PostgreSQL fails the
// run; it is never skipped.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");
const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const only = process.argv.slice(2);

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "node_modules" || name.startsWith(".") || name === "generated") return [];
    if (statSync(full).isDirectory()) return testFiles(full);
    return name.endsWith(".test.ts") ? [path.relative(root, full)] : [];
  });
}

const files = ["lib", "testing", "app", "scripts"]
  .flatMap((d) => testFiles(path.join(root, d)))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}

function run(target, extraEnv) {
  const dataDir = mkdtempSync(path.join(tmpdir(), `plexsphere-test-${target}-`));
  console.log(`\n▶ unit and integration tests on ${target} (${files.length} files)\n`);
  const result = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "--test", "--test-reporter=spec", ...files], {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      NODE_ENV: "test",
      APP_MODE: "demo",
      DEMO_SEED: "false",
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      VAULT_ADDR: "",
      // The default, whatever the shell says: tests that deliver to loopback receivers say so themselves.
      WEBHOOK_ALLOW_PRIVATE_ADDRESSES: "",
      ...extraEnv,
    },
  });
  rmSync(dataDir, { recursive: true, force: true });
  return result.status ?? 1;
}

async function withPostgresDatabase(fn) {
  const name = `plexsphere_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

let failed = 0;
failed += await withPostgresDatabase((url) => run("postgresql", { DATABASE_URL: url }));
failed += run("embedded", { TEST_DATABASE: "embedded" });
process.exit(failed === 0 ? 0 : 1);
