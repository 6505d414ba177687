#!/usr/bin/env node
// The fault suite: what the console does when its backends go away, when it
// is killed mid-write, and under concurrency — measured, not assumed.
//
//   npm run test:faults        (node --import tsx scripts/test-faults.mjs)
//
// It serves the built console through its server entry (dist/server.mjs;
// `npm run build` runs only if that or .next/BUILD_ID is missing) on a fresh database on the local PostgreSQL (127.0.0.1:5432) with
// the node-vault driver on the KV-v2 protocol double, and puts a TCP proxy it
// controls between the server and each backend, so an outage is a real
// refused/reset connection. A second server runs on the embedded defaults.
// Every scenario prints one line with its numbers; the last line is
// `N passed, N failed`, and any failure exits non-zero.
//
// Nothing waits on a graceful shutdown: children are SIGKILLed by process
// group, the database is dropped WITH (FORCE), and a watchdog ends a stuck run.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startKv2Double } from "../testing/kv2-double.ts";
import { startTcpProxy } from "../testing/tcp-proxy.ts";
import {
  b64,
  call,
  cloudBody,
  demoToken,
  describeOutageAnswer,
  inPool,
  isBadFailure,
  killAllChildren,
  killGroup,
  root,
  sleep,
  startProcess,
  tally,
  uniqueSlug,
  waitUp,
} from "./fault-harness.mjs";

const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
// Same base as the e2e run, offset so both suites of one checkout can run at once.
const portBase = Number(process.env.E2E_PORT_BASE ?? 3100);
const ports = { server: portBase + 11, embedded: portBase + 12, pgProxy: portBase + 5111, kvProxy: portBase + 5112, kv: portBase + 5113 };
const base = `http://localhost:${ports.server}`;
const embeddedBase = `http://localhost:${ports.embedded}`;
const WATCHDOG_SECONDS = 420;

const work = mkdtempSync(path.join(tmpdir(), "plexsphere-faults-"));
const results = [];
let scenarioStarted = Date.now();
const state = {
  server: undefined,
  embedded: undefined,
  pgProxy: undefined,
  kvProxy: undefined,
  kv: undefined,
  admin: undefined,
  dbName: undefined,
};

function report(name, ok, numbers) {
  results.push({ name, ok });
  console.log(`${ok ? "✔" : "✖"} ${name}: ${numbers} [${((Date.now() - scenarioStarted) / 1000).toFixed(0)}s]`);
}

// ---------------------------------------------------------------- set-up

const serverEntry = path.join(root, "dist", "server.mjs");

function ensureBuilt() {
  if (existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(serverEntry)) return;
  console.log("no build or no server bundle: building once");
  const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (build.status !== 0) throw new Error(`npm run build failed (${build.status})`);
}

const common = {
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  APP_MODE: "demo",
  DEMO_SEED: "true",
  OUTBOX_INTERVAL_SECONDS: "1",
  READINESS_DRAIN_SECONDS: "1",
};

function serverEnv() {
  return {
    ...common,
    PORT: String(ports.server),
    NEXTAUTH_URL: base,
    DATA_DIR: path.join(work, "server-data"),
    DATABASE_URL: `postgresql://postgres@127.0.0.1:${state.pgProxy.port}/${state.dbName}`,
    VAULT_ADDR: `http://127.0.0.1:${state.kvProxy.port}`,
    VAULT_TOKEN: state.kv.token,
  };
}

/** What a one-shot command (the reconciler) needs to reach the same backends, without the proxies. */
function directEnv() {
  return {
    ...common,
    DATA_DIR: path.join(work, "server-data"),
    DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${state.dbName}`,
    VAULT_ADDR: state.kv.url,
    VAULT_TOKEN: state.kv.token,
    RECONCILE_GRACE_SECONDS: "0",
  };
}

let starts = 0;
function startServer() {
  starts += 1;
  state.server = startProcess("server", process.execPath, [serverEntry], {
    env: serverEnv(),
    log: path.join(work, `server-${starts}.log`),
  });
  return state.server;
}

async function dbQuery(text, params = []) {
  const client = new pg.Client({ connectionString: directEnv().DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}

// ---------------------------------------------------------------- the KV-v2 double, read directly

const secretPath = (cloudId, credentialId) => `plexsphere/clouds/${cloudId}/cloud-credentials/${credentialId}`;

/** 200 readable, 404 gone (missing, soft-deleted or destroyed). */
async function kvReadStatus(pathname) {
  const response = await fetch(`${state.kv.url}/v1/${state.kv.mount}/data/${pathname}`, {
    headers: { "x-vault-token": state.kv.token },
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  return response.status;
}

async function kvList(prefix) {
  const response = await fetch(`${state.kv.url}/v1/${state.kv.mount}/metadata/${prefix}?list=true`, {
    headers: { "x-vault-token": state.kv.token },
    signal: AbortSignal.timeout(10_000),
  });
  if (response.status === 404) return [];
  return (await response.json()).data.keys;
}

// ---------------------------------------------------------------- small API steps

async function createCloud(target, token) {
  const answer = await call(target, "POST", "/v1/clouds", { token, body: cloudBody(uniqueSlug("fault")) });
  if (answer.status !== 201) throw new Error(`POST /v1/clouds: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.id;
}

// Plain text, as a contract client may send it: stored with a shape warning (docs/guide/lifecycle.md).
const issueBody = (name) => ({ display_name: name, payload: b64(`fault material ${randomBytes(8).toString("hex")}`) });

async function issueMany(target, token, cloudId, count, label, limit = 8) {
  const answers = await inPool(
    Array.from({ length: count }, (_, i) => i),
    limit,
    (i) => call(target, "POST", `/v1/clouds/${cloudId}/cloud-credentials`, { token, body: issueBody(`${label} ${i}`) }),
  );
  const bad = answers.filter((a) => a.status !== 201);
  if (bad.length > 0) throw new Error(`issuing ${count} credentials: ${tally(answers.map((a) => a.status))}`);
  return answers.map((a) => a.body.id);
}

// ---------------------------------------------------------------- (1) revoke through a KV outage

async function revokedButLiveAfterKvOutage(operator) {
  const cloudId = await createCloud(base, operator.token);
  const ids = await issueMany(base, operator.token, cloudId, 10, "outage revoke");

  await state.kvProxy.pause();
  const answers = await Promise.all(
    ids.map((id) =>
      call(base, "POST", `/v1/cloud-credentials/${id}/revoke`, {
        token: operator.token,
        body: { reason: "fault suite: revoked during a KV outage" },
      }),
    ),
  );
  await state.kvProxy.resume();
  const badAnswers = answers.filter(isBadFailure).length;

  const started = Date.now();
  let readable = [];
  let revokedIds = [];
  for (;;) {
    revokedIds = (await dbQuery("SELECT id FROM cloud_credentials WHERE id = ANY($1::uuid[]) AND revoked_at IS NOT NULL", [ids])).map(
      (r) => r.id,
    );
    readable = [];
    for (const id of revokedIds) if ((await kvReadStatus(secretPath(cloudId, id))) === 200) readable.push(id);
    if (readable.length === 0 || Date.now() - started > 30_000) break;
    await sleep(1000);
  }
  const waited = ((Date.now() - started) / 1000).toFixed(1);
  // A 2xx says "revoked": the row must say so too.
  const claimedNotRevoked = ids.filter((id, i) => answers[i].status >= 200 && answers[i].status < 300 && !revokedIds.includes(id)).length;
  const ok = readable.length === 0 && badAnswers === 0 && claimedNotRevoked === 0;
  report(
    "(1) revoked-but-live after a KV outage",
    ok,
    `revoke answers during outage ${tally(answers.map((a) => a.status))} (bad 5xx/none: ${badAnswers}); revoked in DB ${revokedIds.length}/10; ` +
      `revoked-in-DB-but-readable-in-KV ${readable.length} after ${waited}s (target 0); 2xx-but-not-revoked ${claimedNotRevoked}`,
  );
}

// ---------------------------------------------------------------- (2) approve racing revoke

async function approvalsOnRevokedCredentials(operator, owner) {
  const project = await call(base, "POST", "/v1/projects", {
    token: operator.token,
    body: { domain_id: "00000000-0000-7000-8000-000000000001", name: "Fault races", slug: uniqueSlug("races") },
  });
  if (project.status !== 201) throw new Error(`POST /v1/projects: ${project.status} ${JSON.stringify(project.body)}`);
  const projectId = project.body.id;
  const member = await call(base, "POST", `/v1/authz/relation-tuples?project_id=${projectId}`, {
    token: operator.token,
    body: { subject: `user:${owner.userId}`, relation: "deploy", resource: `project:${projectId}` },
  });
  if (member.status !== 201) throw new Error(`making the owner a deploy member: ${member.status}`);
  const cloudId = await createCloud(base, operator.token);
  const usable = await call(base, "POST", `/v1/clouds/${cloudId}/cloud-assignments`, {
    token: operator.token,
    body: { project_id: projectId },
  });
  if (usable.status !== 201) throw new Error(`POST cloud-assignments: ${usable.status}`);

  const credentialIds = await issueMany(base, operator.token, cloudId, 50, "race");
  const requests = await inPool(credentialIds, 8, (id) =>
    call(base, "POST", `/v1/projects/${projectId}/credential-assignments`, { token: owner.token, body: { cloud_credential_id: id } }),
  );
  if (requests.some((r) => r.status !== 201)) throw new Error(`requesting 50 assignments: ${tally(requests.map((r) => r.status))}`);

  // Each pair fired together, a few pairs at a time.
  const pairs = await inPool(requests, 5, (request, i) =>
    Promise.all([
      call(base, "POST", `/v1/credential-assignments/${request.body.id}/approve`, {
        token: operator.token,
        body: { reason: "fault race" },
      }),
      call(base, "POST", `/v1/cloud-credentials/${credentialIds[i]}/revoke`, { token: operator.token, body: { reason: "fault race" } }),
    ]),
  );
  const approvals = pairs.map(([a]) => a);
  const revokes = pairs.map(([, r]) => r);
  const bad = [...approvals, ...revokes].filter(isBadFailure).length;
  const [{ standing }] = await dbQuery(
    `SELECT count(*)::int AS standing FROM credential_assignments a JOIN cloud_credentials c ON c.id = a.cloud_credential_id
      WHERE a.project_id = $1 AND a.state = 'approved' AND c.revoked_at IS NOT NULL`,
    [projectId],
  );
  report(
    "(2) approvals standing on revoked credentials after 50 races",
    standing === 0 && bad === 0,
    `approve ${tally(approvals.map((a) => a.status))}; revoke ${tally(revokes.map((r) => r.status))}; bad 5xx/none ${bad}; ` +
      `approved assignments on revoked credentials ${standing} (target 0)`,
  );
}

// ---------------------------------------------------------------- (3) kill -9 mid-issue, one reconcile pass

function reconcileCommand() {
  const scripts = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts ?? {};
  return scripts.reconcile ? ["npm", ["run", "--silent", "reconcile"]] : undefined;
}

async function runReconcile(trial) {
  const command = reconcileCommand();
  if (!command) return { ok: false, detail: "`npm run reconcile` does not exist on this branch (no reconciler)" };
  const handle = startProcess("reconcile", command[0], command[1], { env: directEnv(), log: path.join(work, `reconcile-${trial}.log`) });
  const finished = await Promise.race([handle.exited, sleep(60_000).then(() => undefined)]);
  if (!finished) {
    await killGroup(handle);
    return { ok: false, detail: "reconcile did not finish within 60s" };
  }
  return finished.code === 0
    ? { ok: true, detail: "reconcile exit 0" }
    : { ok: false, detail: `reconcile exit ${finished.code ?? finished.signal} (see ${handle.log})` };
}

async function hasColumn(table, column) {
  const rows = await dbQuery("SELECT 1 FROM information_schema.columns WHERE table_name = $1 AND column_name = $2", [table, column]);
  return rows.length > 0;
}

/** Orphans in one Cloud: live KV secrets without a row, and live rows without a secret that nobody marked. */
async function orphansOf(cloudId) {
  const keys = (await kvList(`plexsphere/clouds/${cloudId}/cloud-credentials/`)).filter((k) => !k.endsWith("/"));
  const rows = await dbQuery(
    `SELECT id, revoked_at IS NOT NULL AS revoked,
    ${(await hasColumn("cloud_credentials", "secret_missing_at")) ? "secret_missing_at IS NOT NULL" : "false"} AS marked
       FROM cloud_credentials WHERE cloud_id = $1`,
    [cloudId],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  let kvWithoutRow = 0;
  let listedWithoutRow = 0;
  for (const key of keys) {
    if (byId.has(key)) continue;
    listedWithoutRow += 1;
    // A cleaned-up orphan may stay listed as soft-deleted metadata; only live material counts.
    if ((await kvReadStatus(secretPath(cloudId, key))) === 200) kvWithoutRow += 1;
  }
  let rowWithoutKv = 0;
  for (const row of rows) {
    if (row.revoked || row.marked) continue;
    if ((await kvReadStatus(secretPath(cloudId, row.id))) !== 200) rowWithoutKv += 1;
  }
  return { kvWithoutRow, listedWithoutRow, rowWithoutKv, rows: rows.length, keys: keys.length, ids: new Set(byId.keys()) };
}

async function orphansAfterKill(operator) {
  const trials = [];
  const started = Date.now();
  for (let trial = 1; trial <= 3 && (trial === 1 || Date.now() - started < 75_000); trial++) {
    const cloudId = await createCloud(base, operator.token);
    const killAfter = 2 + Math.floor(Math.random() * 5);
    let answered = 0;
    let killing;
    const kill = () => (killing ??= killGroup(state.server));
    const fallback = setTimeout(kill, 5000);
    const answers = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        call(base, "POST", `/v1/clouds/${cloudId}/cloud-credentials`, {
          token: operator.token,
          body: issueBody(`kill ${trial}.${i}`),
          timeoutMs: 20_000,
        }).then((a) => {
          if (a.status !== 0 && ++answered >= killAfter) void kill();
          return a;
        }),
      ),
    );
    clearTimeout(fallback);
    await kill();
    const created = answers.filter((a) => a.status === 201);
    const reconcile = await runReconcile(trial);
    const counts = await orphansOf(cloudId);
    const acknowledgedLost = created.filter((a) => !counts.ids.has(a.body.id)).length;
    trials.push({ trial, killAfter, created: created.length, reconcile, ...counts, acknowledgedLost });
    startServer();
    await waitUp(`${base}/login`, state.server);
  }
  const sum = (key) => trials.reduce((n, t) => n + t[key], 0);
  const ok = trials.every((t) => t.reconcile.ok) && sum("kvWithoutRow") === 0 && sum("rowWithoutKv") === 0 && sum("acknowledgedLost") === 0;
  const perTrial = trials
    .map(
      (t) =>
        `#${t.trial} killed after ${t.killAfter} answers (${t.created}×201, ${t.rows} rows, ${t.keys} KV keys): ` +
        `KV-without-row ${t.kvWithoutRow} (listed ${t.listedWithoutRow}), row-without-KV unmarked ${t.rowWithoutKv}, 201-without-row ${t.acknowledgedLost}`,
    )
    .join("; ");
  const reconcileNote = [...new Set(trials.map((t) => t.reconcile.detail))].join("; ");
  report(
    `(3) orphans after kill -9 with 32 issues in flight, ${trials.length} trials`,
    ok,
    `KV-without-row ${sum("kvWithoutRow")}, row-without-KV ${sum("rowWithoutKv")} (target 0/0); ${reconcileNote}; ${perTrial}`,
  );
}

// ---------------------------------------------------------------- (4) 200 concurrent issues on the embedded default

async function concurrentIssuesEmbedded() {
  await waitUp(`${embeddedBase}/login`, state.embedded);
  const operator = await demoToken(embeddedBase, "operator@example.com");
  const cloudId = await createCloud(embeddedBase, operator.token);
  const run = randomBytes(4).toString("hex");
  const names = Array.from({ length: 200 }, (_, i) => `embedded ${run} #${i}`);
  const started = Date.now();
  const answers = await Promise.all(
    names.map((name) =>
      call(embeddedBase, "POST", `/v1/clouds/${cloudId}/cloud-credentials`, {
        token: operator.token,
        body: issueBody(name),
        timeoutMs: 90_000,
      }),
    ),
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let errors = 0;
  let wrong = 0;
  const seenIds = new Set();
  const toRead = [];
  answers.forEach((answer, i) => {
    if (answer.status !== 201) return void (errors += 1);
    if (answer.body?.display_name !== names[i] || answer.body?.cloud_id !== cloudId || seenIds.has(answer.body?.id))
      return void (wrong += 1);
    seenIds.add(answer.body.id);
    toRead.push([answer.body.id, names[i]]);
  });
  const reads = await inPool(toRead, 20, ([id]) => call(embeddedBase, "GET", `/v1/cloud-credentials/${id}`, { token: operator.token }));
  reads.forEach((read, i) => {
    const [id, name] = toRead[i];
    if (read.status !== 200) errors += 1;
    else if (read.body?.id !== id || read.body?.display_name !== name || read.body?.cloud_id !== cloudId) wrong += 1;
  });
  report(
    "(4) 200 concurrent issues on the embedded default",
    errors === 0 && wrong === 0,
    `issue answers ${tally(answers.map((a) => a.status))} in ${seconds}s; read-backs ` +
      `${tally(reads.map((r) => r.status))}; errors ${errors}, wrong answers ${wrong} (target 0/0)`,
  );
}

// ---------------------------------------------------------------- (5) database and KV outages answer 503

async function firstSuccess(attempt, seconds = 15) {
  const started = Date.now();
  let last;
  let tries = 0;
  while (Date.now() - started < seconds * 1000) {
    tries += 1;
    last = await attempt();
    if (last.ok) break;
    await sleep(500);
  }
  return { ...last, tries, after: ((Date.now() - started) / 1000).toFixed(1) };
}

async function outagesAnswer503(operator) {
  const cloudId = await createCloud(base, operator.token);
  const issue = (label) =>
    call(base, "POST", `/v1/clouds/${cloudId}/cloud-credentials`, { token: operator.token, body: issueBody(label), timeoutMs: 20_000 });
  const checks = [];

  await state.pgProxy.pause();
  try {
    const list = describeOutageAnswer(
      await call(base, "GET", "/v1/clouds", { token: operator.token, timeoutMs: 20_000 }),
      "database_unavailable",
    );
    const post = describeOutageAnswer(await issue("during db outage"), "database_unavailable");
    const health = await call(base, "GET", "/v1/health", { timeoutMs: 20_000 });
    const dbDown = health.status === 503 && health.body?.checks?.find((c) => c.name === "database")?.status === "down";
    checks.push(
      [`db down: GET /v1/clouds ${list.seen}`, list.ok],
      [`POST issue ${post.seen}`, post.ok],
      [`health ${health.status} database ${dbDown ? "down" : "not reported down"}`, dbDown],
    );
  } finally {
    await state.pgProxy.resume();
  }
  const listBack = await firstSuccess(async () => ({
    ok: (await call(base, "GET", "/v1/clouds", { token: operator.token })).status === 200,
  }));
  const issueBack = await firstSuccess(async () => ({ ok: (await issue("after db outage")).status === 201 }));
  checks.push(
    [`db back: GET 200 after ${listBack.after}s/${listBack.tries} tries`, listBack.ok],
    [`issue 201 ${issueBack.ok ? "" : "never "}(${issueBack.tries} tries)`, issueBack.ok],
  );

  await state.kvProxy.pause();
  try {
    const post = describeOutageAnswer(await issue("during kv outage"), "secrets_engine_unavailable");
    // The load balancer's view: not ready, naming the secrets engine; the supervisor's: alive, nothing to restart.
    const ready = await call(base, "GET", "/readyz", { timeoutMs: 20_000 });
    const live = await call(base, "GET", "/livez", { timeoutMs: 20_000 });
    const namesKv = ready.status === 503 && ready.headers.get("retry-after") !== null && ready.body?.down?.join() === "secrets_engine";
    checks.push(
      [`kv down: POST issue ${post.seen}`, post.ok],
      [`/readyz ${ready.status} down ${JSON.stringify(ready.body?.down ?? null)}`, namesKv],
      [`/livez ${live.status}`, live.status === 200],
    );
  } finally {
    await state.kvProxy.resume();
  }
  const kvBack = await firstSuccess(async () => ({ ok: (await issue("after kv outage")).status === 201 }));
  checks.push([`kv back: issue 201 ${kvBack.ok ? "" : "never "}(${kvBack.tries} tries)`, kvBack.ok]);

  const failed = checks.filter(([, ok]) => !ok).length;
  report(
    "(5) database and KV outages answer 503 and recover",
    failed === 0,
    `${checks.length - failed}/${checks.length} checks; ${checks.map(([text, ok]) => `${ok ? "" : "✖ "}${text}`).join("; ")}`,
  );
}

// ---------------------------------------------------------------- (6) SIGTERM with 16 issues in flight

/** Polls `check` until it holds; false when `seconds` pass first. */
async function eventually(check, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(50);
  }
  return false;
}

/**
 * The shutdown a supervisor asks for: /readyz turns 503 at the signal, while
 * the listener still accepts (READINESS_DRAIN_SECONDS, 1 here), every issue
 * the server has received is answered 201 (the KV double holds their secret
 * writes, so all 16 are in the middle of their work when the signal comes),
 * new connections are then refused, and the process exits 0 within
 * READINESS_DRAIN_SECONDS + SHUTDOWN_GRACE_SECONDS.
 * Last: it ends the server.
 */
async function drainsOnSigterm(operator) {
  const cloudId = await createCloud(base, operator.token);
  const hold = state.kv.holdWrites();
  let answers = [];
  let refusedAfterSignal = false;
  let notReadyAfterSignal = false;
  let inFlight = 0;
  let exit;
  let seconds = "";
  try {
    const pending = Array.from({ length: 16 }, (_, i) =>
      call(base, "POST", `/v1/clouds/${cloudId}/cloud-credentials`, {
        token: operator.token,
        body: issueBody(`drain ${i}`),
        timeoutMs: 30_000,
      }),
    );
    if (!(await eventually(() => hold.waiting() === 16, 30)))
      throw new Error(`only ${hold.waiting()} of 16 issues reached the secrets engine`);
    inFlight = hold.waiting();
    const signalled = Date.now();
    process.kill(state.server.child.pid, "SIGTERM");
    // The signal reaches the server's loop a moment later: within READINESS_DRAIN_SECONDS, while it still accepts.
    notReadyAfterSignal = await eventually(async () => (await call(base, "GET", "/readyz", { timeoutMs: 2000 })).status === 503, 1);
    refusedAfterSignal = await eventually(
      async () => (await call(base, "GET", "/v1/health", { timeoutMs: 2000 })).error?.includes("ECONNREFUSED") ?? false,
      5,
    );
    hold.release();
    answers = await Promise.all(pending);
    exit = await Promise.race([state.server.exited, sleep(30_000).then(() => undefined)]);
    seconds = ((Date.now() - signalled) / 1000).toFixed(1);
  } finally {
    hold.release();
  }
  const created = answers.filter((a) => a.status === 201).length;
  const ok = created === 16 && notReadyAfterSignal && refusedAfterSignal && exit?.code === 0 && Number(seconds) < 10;
  report(
    "(6) SIGTERM with 16 issues in flight",
    ok,
    `${inFlight} in flight at the signal; answers ${tally(answers.map((a) => (a.status === 0 ? a.error : a.status)))} (target 16×201); ` +
      `/readyz ${notReadyAfterSignal ? "503" : "not 503"} at the signal; ` +
      `new connections ${refusedAfterSignal ? "refused" : "still accepted"} after the signal; exit ` +
      `${exit ? (exit.code ?? exit.signal) : "none within 30s"} after ${seconds}s (grace 10s)`,
  );
}

// ---------------------------------------------------------------- run

async function scenario(name, fn) {
  scenarioStarted = Date.now();
  try {
    await fn();
  } catch (error) {
    report(name, false, `could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function cleanUp({ keepLogs = false } = {}) {
  killAllChildren();
  await Promise.allSettled([state.pgProxy?.close(), state.kvProxy?.close(), state.kv?.stop()]);
  if (state.admin && state.dbName) await state.admin.query(`DROP DATABASE IF EXISTS ${state.dbName} WITH (FORCE)`).catch(() => {});
  await state.admin?.end().catch(() => {});
  if (keepLogs) console.log(`logs kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

const watchdog = setTimeout(() => {
  console.error(`✖ the fault suite ran past ${WATCHDOG_SECONDS}s; stopping`);
  const passed = results.filter((r) => r.ok).length;
  // The scenario still running (and any after it) counts as failed.
  console.log(`${passed} passed, ${Math.max(6 - passed, results.length - passed)} failed`);
  void cleanUp().finally(() => process.exit(1));
}, WATCHDOG_SECONDS * 1000);
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => void cleanUp().finally(() => process.exit(1)));

const suiteStarted = Date.now();
let fatal;
try {
  ensureBuilt();
  mkdirSync(path.join(work, "server-data"), { recursive: true });
  state.admin = new pg.Client({ connectionString: adminUrl });
  await state.admin.connect();
  state.dbName = `plexsphere_faults_${randomBytes(6).toString("hex")}`;
  await state.admin.query(`CREATE DATABASE ${state.dbName}`);
  state.kv = await startKv2Double({ port: ports.kv, host: "127.0.0.1", token: randomBytes(16).toString("hex") });
  state.pgProxy = await startTcpProxy({ listenPort: ports.pgProxy, targetHost: "127.0.0.1", targetPort: 5432 });
  state.kvProxy = await startTcpProxy({ listenPort: ports.kvProxy, targetHost: "127.0.0.1", targetPort: ports.kv });

  // The embedded server boots alongside, so its start-up overlaps the other scenarios.
  state.embedded = startProcess("embedded", process.execPath, [serverEntry], {
    env: {
      ...common,
      PORT: String(ports.embedded),
      NEXTAUTH_URL: embeddedBase,
      DATA_DIR: path.join(work, "embedded-data"),
      DATABASE_URL: "",
      VAULT_ADDR: "",
    },
    log: path.join(work, "embedded.log"),
  });
  startServer();
  await waitUp(`${base}/login`, state.server);
  const operator = await demoToken(base, "operator@example.com");
  const owner = await demoToken(base, "owner@example.com");

  await scenario("(1) revoked-but-live after a KV outage", () => revokedButLiveAfterKvOutage(operator));
  await scenario("(2) approvals standing on revoked credentials after 50 races", () => approvalsOnRevokedCredentials(operator, owner));
  await scenario("(3) orphans after kill -9 with 32 issues in flight", () => orphansAfterKill(operator));
  await scenario("(4) 200 concurrent issues on the embedded default", () => concurrentIssuesEmbedded());
  await scenario("(5) database and KV outages answer 503 and recover", async () => {
    if (state.server.child.exitCode !== null || state.server.child.signalCode !== null) {
      startServer();
      await waitUp(`${base}/login`, state.server);
    }
    await outagesAnswer503(operator);
  });
  await scenario("(6) SIGTERM with 16 issues in flight", async () => {
    if (state.server.child.exitCode !== null || state.server.child.signalCode !== null) {
      startServer();
      await waitUp(`${base}/login`, state.server);
    }
    await drainsOnSigterm(operator);
  });
} catch (error) {
  fatal = error;
  console.error(`✖ fault suite set-up failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  clearTimeout(watchdog);
  await cleanUp({ keepLogs: Boolean(process.env.KEEP_FAULT_LOGS) });
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed + (fatal ? 1 : 0);
console.log(`fault suite took ${((Date.now() - suiteStarted) / 1000).toFixed(0)}s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
