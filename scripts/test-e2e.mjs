#!/usr/bin/env node
// End-to-end run: build once, then serve the console twice and drive both in
// Debian's Chromium with Playwright:
//   embedded        - no DATABASE_URL, no VAULT_ADDR: what `npm start` gives a fresh machine
//   postgres-vault  - a fresh database on the local PostgreSQL, and the node-vault driver
//                     pointed at the KV-v2 protocol double (no real Vault can run here)
// Each server's output goes to a log file the canary spec searches.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

const root = path.resolve(import.meta.dirname, "..");
const artifacts = path.join(root, "e2e", ".artifacts");
const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
// E2E_PORT_BASE lets several checkouts run their suites side by side on one machine.
const portBase = Number(process.env.E2E_PORT_BASE ?? 3100);
const metricsToken = `e2e-metrics-${randomBytes(12).toString("hex")}`;
const ports = {
  embedded: portBase + 1,
  pgVault: portBase + 2,
  refused: portBase + 3,
  oidc: portBase + 21,
  ssoOnly: portBase + 22,
  kv2: portBase + 5101,
};
const embeddedDataDir = path.join(artifacts, "embedded-data");
// The embedded database listens on a Unix socket in its data folder (lib/db/embedded.ts).
const embeddedDbUrl = `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(embeddedDataDir)}&sslmode=disable`;
const children = [];
const serverEntry = path.join(root, "dist", "server.mjs");

rmSync(artifacts, { recursive: true, force: true });
mkdirSync(artifacts, { recursive: true });

function start(name, command, args, env) {
  const log = path.join(artifacts, `${name}.log`);
  const out = openSync(log, "a");
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", out, out], detached: true });
  children.push(child);
  return { child, log, command, args, env };
}

function stopAll() {
  for (const child of children) {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}

async function waitFor(url, child, seconds = 90) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited with ${child.exitCode}`);
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up within ${seconds}s`);
}

/**
 * SIGTERM drains before it stops: a request in flight when the signal comes
 * is still answered, then the process exits 0. To keep a request in flight
 * without a test hook, a tool holds PGlite's one session in a transaction,
 * so /v1/health waits for it; the transaction ends after the signal.
 */
async function checkShutdownDrains(server) {
  const holder = new pg.Client({ connectionString: embeddedDbUrl });
  await holder.connect();
  await holder.query("BEGIN");
  await holder.query("SELECT 1");
  const inFlight = fetch(`http://localhost:${ports.embedded}/v1/health`).then(
    (r) => r.status,
    (e) => `failed: ${e.message}`,
  );
  await new Promise((r) => setTimeout(r, 1000));
  const exited = new Promise((resolve) => server.child.once("exit", (code, signal) => resolve(signal ?? code)));
  process.kill(-server.child.pid, "SIGTERM");
  await new Promise((r) => setTimeout(r, 1500));
  await holder.query("COMMIT");
  await holder.end();
  const [status, exit] = await Promise.all([inFlight, exited]);
  const ok = status === 200 && exit === 0;
  console.log(`${ok ? "✔" : "✖"} SIGTERM lets an in-flight request finish: it answered ${status}, the server exited with ${exit}`);
  return ok ? 0 : 1;
}

/**
 * The embedded database must survive a restart: stop the embedded server the
 * way a user does (SIGTERM, checking that it drains), start it again on the
 * same data folder, and find every Cloud and credential the browser tests created.
 */
async function checkRestartKeepsData(server) {
  const count = async () => {
    const client = new pg.Client({ connectionString: embeddedDbUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT (SELECT count(*) FROM clouds) AS clouds, (SELECT count(*) FROM cloud_credentials) AS credentials",
      );
      return `${rows[0].clouds} clouds, ${rows[0].credentials} credentials`;
    } finally {
      await client.end();
    }
  };
  const before = await count();
  const drained = await checkShutdownDrains(server);
  const again = start("embedded-restarted", server.command, server.args, server.env);
  await waitFor(`http://localhost:${ports.embedded}/login`, again.child);
  const after = await count();
  const ok = before === after && !before.startsWith("0 ");
  console.log(`${ok ? "✔" : "✖"} embedded data survives a restart: ${before} before, ${after} after`);
  return ok && drained === 0 ? 0 : 1;
}

/**
 * A configuration production mode refuses must end the server with a
 * non-zero exit and one clear log line, not leave a server answering 500.
 */
async function checkRefusedConfigExits() {
  const refused = start("refused-config", process.execPath, [serverEntry], {
    PORT: String(ports.refused),
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    APP_MODE: "production",
    NEXTAUTH_SECRET: "",
    NEXTAUTH_URL: "https://console.example.com",
    DATABASE_URL: "",
    DATA_DIR: path.join(artifacts, "refused-data"),
  });
  const exit = await Promise.race([
    new Promise((resolve) => refused.child.once("exit", (code) => resolve(code))),
    new Promise((resolve) => setTimeout(() => resolve("still running after 60s"), 60_000)),
  ]);
  const failures = readFileSync(refused.log, "utf8")
    .split("\n")
    .filter((line) => line.includes('"boot.failed"'));
  const ok = typeof exit === "number" && exit !== 0 && failures.length === 1 && failures[0].includes("NEXTAUTH_SECRET");
  console.log(`${ok ? "✔" : "✖"} a refused production configuration exits (${exit}) with one log line: ${failures[0] ?? "none"}`);
  return ok ? 0 : 1;
}

// The project's one build (`npm run build`: Prisma client, `next build`, the server entry), as a deployment runs it.
const build = spawnSync("npm", ["run", "build"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
if (build.status !== 0) process.exit(build.status ?? 1);
// plexctl as `npm install` leaves it: bundled, so the CLI specs run what users run.
const cliBuild = spawnSync(process.execPath, [path.join(root, "scripts/cli-build.mjs")], { cwd: root, stdio: "inherit" });
if (cliBuild.status !== 0) process.exit(cliBuild.status ?? 1);

const dbName = `plexsphere_e2e_${randomBytes(6).toString("hex")}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const pgUrl = Object.assign(new URL(adminUrl), { pathname: `/${dbName}` }).toString();

let status = 1;
try {
  // The expiry sweeper ticks every second so a spec can watch it stamp a credential without sleeping.
  // Reminders tick every second at any hour, mailing through the SMTP server e2e/reminders.spec.ts runs on base + 31.
  const common = {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    APP_MODE: "demo",
    DEMO_SEED: "true",
    EXPIRY_SWEEP_INTERVAL_SECONDS: "1",
    SMTP_URL: `smtp://127.0.0.1:${portBase + 31}`,
    REMINDER_INTERVAL_SECONDS: "1",
    REMINDER_HOUR: "0",
    // No load balancer in front: the servers stop at once on SIGTERM (the fault suite exercises the drain).
    READINESS_DRAIN_SECONDS: "0",
    // /metrics on the main listener behind this token (e2e/api/metrics.spec.ts scrapes it).
    METRICS_TOKEN: metricsToken,
    // e2e/reminders.spec.ts's webhook receiver listens on loopback, which a webhook may reach only when this is set.
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES: "true",
    // An account of the test OpenID Provider (testing/oidc-accounts.ts): the SSO spec's first administrator.
    PLATFORM_ADMIN_EMAILS: "root@corp.example",
  };
  const vaultToken = randomBytes(16).toString("hex");
  // The postgres-vault server logs in with AppRole, the secret id in a file, and its tokens live 4 s (max 10 s):
  // every spec on it runs across renewals and fresh logins (e2e/api/vault-login.spec.ts looks at them).
  const vaultRoleId = `plexsphere-e2e-${randomBytes(6).toString("hex")}`;
  const vaultSecretId = randomBytes(16).toString("hex");
  const vaultSecretIdFile = path.join(artifacts, "vault-secret-id");
  writeFileSync(vaultSecretIdFile, `${vaultSecretId}\n`, { mode: 0o600 });

  // A real OpenID Provider on loopback for the SSO specs (testing/oidc-provider.ts), up before the consoles.
  const oidc = start(
    "oidc-provider",
    process.execPath,
    [
      "--import",
      "tsx",
      "testing/oidc-provider.ts",
      "--port",
      String(ports.oidc),
      "--redirect-base",
      `http://localhost:${ports.embedded}`,
      "--redirect-base",
      `http://localhost:${ports.pgVault}`,
      "--redirect-base",
      `http://localhost:${ports.ssoOnly}`,
    ],
    {},
  );
  await waitFor(`http://localhost:${ports.oidc}/.well-known/openid-configuration`, oidc.child);
  const kv2 = start(
    "kv2-double",
    process.execPath,
    [
      "--import",
      "tsx",
      "testing/kv2-double-server.ts",
      "--port",
      String(ports.kv2),
      "--token",
      vaultToken,
      "--role-id",
      vaultRoleId,
      "--secret-id",
      vaultSecretId,
      "--ttl",
      "4",
      "--max-ttl",
      "10",
    ],
    {},
  );
  const embedded = start("embedded", process.execPath, [serverEntry], {
    ...common,
    PORT: String(ports.embedded),
    // As `npm start` on a fresh machine: no NEXTAUTH_URL, so the origin comes from the request.
    NEXTAUTH_URL: undefined,
    DATA_DIR: embeddedDataDir,
    DATABASE_URL: "",
    VAULT_ADDR: "",
  });
  const pgVault = start("postgres-vault", process.execPath, [serverEntry], {
    ...common,
    PORT: String(ports.pgVault),
    NEXTAUTH_URL: `http://localhost:${ports.pgVault}`,
    DATA_DIR: path.join(artifacts, "postgres-vault-data"),
    DATABASE_URL: pgUrl,
    VAULT_ADDR: `http://127.0.0.1:${ports.kv2}`,
    VAULT_TOKEN: undefined,
    VAULT_ROLE_ID: vaultRoleId,
    VAULT_SECRET_ID_FILE: vaultSecretIdFile,
  });

  // An empty deployment that signs in only through SSO: no demo cast, no password form, one identity
  // provider added from the shell (npm run idp:add) and a first administrator from PLATFORM_ADMIN_EMAILS.
  const ssoOnlyEnv = {
    ...common,
    DEMO_SEED: "false",
    LOCAL_LOGIN: "false",
    NEXTAUTH_URL: undefined,
    DATA_DIR: path.join(artifacts, "sso-only-data"),
    DATABASE_URL: "",
    VAULT_ADDR: "",
  };
  const idpAdd = spawnSync(
    process.execPath,
    [
      "--conditions=react-server",
      "--import",
      "tsx",
      "scripts/idp-add.ts",
      "--alias",
      "corp-admin",
      "--issuer",
      `http://localhost:${ports.oidc}`,
      "--client-id",
      "plexsphere-console",
      "--jit",
      JSON.stringify({ mode: "domains", domains: ["corp.example"] }),
      "--scopes",
      "openid email profile groups",
    ],
    { cwd: root, env: { ...process.env, ...ssoOnlyEnv, NODE_ENV: "test" }, input: "test-oidc-client-secret-0d6f2c", encoding: "utf8" },
  );
  if (idpAdd.status !== 0) throw new Error(`idp:add failed: ${idpAdd.stderr}`);
  const ssoOnly = start("sso-only", process.execPath, [serverEntry], { ...ssoOnlyEnv, PORT: String(ports.ssoOnly) });
  await waitFor(`http://127.0.0.1:${ports.kv2}/v1/sys/health`, kv2.child);
  await Promise.all([
    waitFor(`http://localhost:${ports.embedded}/login`, embedded.child),
    waitFor(`http://localhost:${ports.pgVault}/login`, pgVault.child),
    waitFor(`http://localhost:${ports.ssoOnly}/login`, ssoOnly.child),
  ]);

  // What the specs need to know about each target (playwright.config.ts reads it too).
  writeFileSync(
    path.join(artifacts, "targets.json"),
    JSON.stringify(
      {
        embedded: {
          baseURL: `http://localhost:${ports.embedded}`,
          serverLog: embedded.log,
          databaseUrl: embeddedDbUrl,
        },
        "postgres-vault": {
          baseURL: `http://localhost:${ports.pgVault}`,
          serverLog: pgVault.log,
          databaseUrl: pgUrl,
          // `token` is the double's root token, for specs that reach the engine behind the console's back.
          vault: { addr: `http://127.0.0.1:${ports.kv2}`, token: vaultToken, secretIdFile: vaultSecretIdFile },
        },
      },
      null,
      2,
    ),
  );

  const run = spawnSync(process.execPath, [path.join(root, "node_modules/@playwright/test/cli.js"), "test", ...process.argv.slice(2)], {
    cwd: root,
    stdio: "inherit",
    // The SSO specs' identity provider (not a target: every entry of targets.json is a Playwright project).
    env: {
      ...process.env,
      E2E_OIDC_ISSUER: `http://localhost:${ports.oidc}`,
      E2E_SSO_ONLY_URL: `http://localhost:${ports.ssoOnly}`,
      E2E_METRICS_TOKEN: metricsToken,
    },
  });
  status = run.status ?? 1;
  // A filtered run (arguments passed to Playwright) may create no data to check;
  // E2E_SERVER_CHECKS=1 runs the server checks after one anyway.
  const fullRun = process.argv.length <= 2 || process.env.E2E_SERVER_CHECKS === "1";
  if (status === 0 && fullRun) status = await checkRestartKeepsData(embedded);
  if (status === 0 && fullRun) status = await checkRefusedConfigExits();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
} finally {
  stopAll();
  await new Promise((r) => setTimeout(r, 1000));
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
  await admin.end();
}
process.exit(status);
