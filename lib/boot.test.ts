import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import pg from "pg";

/**
 * Boot in real processes, as `next start` runs it: several instances on one
 * empty PostgreSQL database, and a configuration production mode refuses.
 * These need a PostgreSQL server whatever the test target is.
 */
const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

function bootProcess(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "testing/boot-once.ts"], {
      cwd: process.cwd(),
      env: { ...process.env, NODE_ENV: "production", DATA_DIR: mkdtempSync(path.join(tmpdir(), "boot-")), VAULT_ADDR: "", ...env },
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

async function withEmptyDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const name = `plexsphere_boot_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    return await fn(Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

describe("booting", () => {
  test("three instances starting at once on one empty database all come up, and the demo cast exists once", async () => {
    await withEmptyDatabase(async (url) => {
      const secretsKey = randomBytes(32).toString("base64");
      const results = await Promise.all(
        [1, 2, 3].map(() => bootProcess({ APP_MODE: "demo", DEMO_SEED: "true", DATABASE_URL: url, SECRETS_KEY: secretsKey })),
      );
      for (const result of results) {
        assert.equal(result.code, 0, result.output);
        assert.match(result.output, /"event":"boot.ready"/);
      }
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const users = await client.query("SELECT email FROM users ORDER BY email");
        assert.deepEqual(
          users.rows.map((r) => r.email),
          ["operator@example.com", "owner@example.com", "viewer@example.com"],
        );
      } finally {
        await client.end();
      }
    });
  });

  test("a configuration production mode refuses ends the process with exit code 1 and one log line naming the problem", async () => {
    const result = await bootProcess({
      APP_MODE: "production",
      NEXTAUTH_SECRET: "",
      NEXTAUTH_URL: "https://console.example.com",
      SECRETS_KEY: randomBytes(32).toString("base64"),
    });
    assert.equal(result.code, 1);
    const lines = result.output.trim().split("\n");
    assert.equal(lines.length, 1, result.output);
    const line = JSON.parse(lines[0]);
    assert.equal(line.event, "boot.failed");
    assert.match(line.error, /NEXTAUTH_SECRET: is required when APP_MODE=production/);
  });

  test("a Vault login that cannot work is refused at boot: an ambiguous configuration, a secret-id file that is not there", async () => {
    for (const [env, pattern] of [
      [{ VAULT_TOKEN: "t", VAULT_ROLE_ID: "r", VAULT_SECRET_ID: "s" }, /VAULT_AUTH_METHOD: ambiguous/],
      [
        { VAULT_ROLE_ID: "r", VAULT_SECRET_ID_FILE: "/nonexistent/secret-id" },
        /VAULT_SECRET_ID_FILE: cannot read \/nonexistent\/secret-id \(ENOENT\)/,
      ],
      [{ VAULT_AUTH_METHOD: "kubernetes", VAULT_K8S_ROLE: "k", VAULT_K8S_JWT_FILE: "/nonexistent/jwt" }, /VAULT_K8S_JWT_FILE: cannot read/],
    ] as const) {
      const result = await bootProcess({
        APP_MODE: "demo",
        VAULT_ADDR: "http://127.0.0.1:1",
        VAULT_TOKEN: "",
        ...(env as Record<string, string>),
      });
      assert.equal(result.code, 1, result.output);
      const lines = result.output.trim().split("\n");
      assert.equal(lines.length, 1, result.output);
      assert.equal(JSON.parse(lines[0]).event, "boot.failed");
      assert.match(JSON.parse(lines[0]).error, pattern);
    }
  });
});
