// `npm run bench [-- --quick]`: how the console holds up at 100,000 rows and
// how close its issue path runs to its physical floor, measured side by side
// in one run, printed as one table. Not part of `npm test` (it times things).
//
// Set-up: builds only if the sources changed (scripts/start-build.mjs), a
// fresh database on the local PostgreSQL (127.0.0.1:5432, dropped after),
// the KV-v2 double (testing/kv2-double-server.ts) as its own process, and
// the console served by `npm start`'s script, talking to PostgreSQL through
// a proxy that counts statements (./pg-counter.ts). Pages are timed side by
// side: a second console on a second database holds the small scale, and
// each page is fetched from both in turn. A third console runs on the
// embedded defaults (PGlite + the embedded secret store).
//
// Ports: E2E_PORT_BASE (4700 unless set) + 40 (console, big), +41 (embedded),
// +42 (counting proxy, big), +43 (console, small), +44 (proxy, small), +61 (KV-v2 double).
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { demoToken, inPool, killAllChildren, killGroup, root, sleep, startProcess, waitUp } from "../fault-harness.mjs";
import { DIGEST_FILE, buildDecision, sourceDigest } from "../start-build.mjs";
import { firstLoadJs } from "./first-load";
import { startCountingProxy, type CountingProxy } from "./pg-counter";
import { auditMacKeyFrom, entryMac } from "../../lib/audit/mac";

const quick = process.argv.includes("--quick");
const SMALL = quick ? 200 : 1_000;
const BIG = quick ? 5_000 : 100_000;
/**
 * Requests per (concurrency, side), split over interleaved rounds. A p99
 * of 480 was its 5th-slowest request, so one pause in any process moved it
 * by half from run to run; of 1,440 it is the 15th.
 */
const ISSUES = quick ? 96 : 1_440;
const ROUNDS = 3;
const CONCURRENCY = [1, 8, 32];

const portBase = Number(process.env.E2E_PORT_BASE ?? 4700);
const ports = {
  server: portBase + 40,
  embedded: portBase + 41,
  proxy: portBase + 42,
  small: portBase + 43,
  smallProxy: portBase + 44,
  kv: portBase + 61,
};
const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const work = mkdtempSync(path.join(tmpdir(), "plexsphere-bench-"));
const kvToken = randomBytes(18).toString("base64url");
const dbName = `plexsphere_bench_${randomBytes(5).toString("hex")}`;
const smallDbName = `${dbName}_small`;
const base = `http://127.0.0.1:${ports.server}`;
const smallBase = `http://127.0.0.1:${ports.small}`;
const embeddedBase = `http://127.0.0.1:${ports.embedded}`;
const kvUrl = `http://127.0.0.1:${ports.kv}`;

type Row = { measure: string; a: string; b: string; ratio: string; target: string; met: string };
const rows: Row[] = [];
const row = (measure: string, a: string, b: string, ratio = "", target = "", met = "") => rows.push({ measure, a, b, ratio, target, met });
const yes = (ok: boolean) => (ok ? "yes" : "**no**");
const ms = (n: number) => (n >= 100 ? `${n.toFixed(0)} ms` : `${n.toFixed(1)} ms`);
const kb = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KB`);
const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);

function dbUrl(port = 5432, name = dbName) {
  const url = new URL(adminUrl);
  url.port = String(port);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---------------------------------------------------------------- set-up

function ensureBuilt() {
  const decision = buildDecision(root);
  if (!decision.build) return log("build is up to date");
  log(`building: ${decision.reason}`);
  const digest = sourceDigest(root);
  const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (build.status !== 0) throw new Error("the build failed");
  writeFileSync(path.join(root, DIGEST_FILE), `${digest}\n`);
}

/** Every console of the run signs with this, so the seeded audit entries carry MACs the sealer accepts. */
const BENCH_AUTH_SECRET = randomBytes(32).toString("base64url");
const benchMacKey = auditMacKeyFrom(BENCH_AUTH_SECRET);
const common = {
  NEXTAUTH_SECRET: BENCH_AUTH_SECRET,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  APP_MODE: "demo",
  DEMO_SEED: "true",
  DATABASE_URL: "",
  VAULT_ADDR: "",
  VAULT_TOKEN: "",
};

function startConsole(name: string, port: number, env: Record<string, string>) {
  return startProcess(name, process.execPath, [path.join(root, "scripts/start.mjs")], {
    env: { ...common, PORT: String(port), NEXTAUTH_URL: `http://127.0.0.1:${port}`, ...env },
    log: path.join(work, `${name}.log`),
  });
}

/** Resident memory of a process and its descendants, in bytes. */
function rssOf(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
    } catch {
      return;
    }
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return total;
}

const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** CPU time (user + system) one process has used so far, in ms. */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** CPU time every process on the machine has used so far (all cores), in ms. */
function machineCpuMs(): number {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  const idle = ticks[3] + ticks[4]; // idle, iowait
  return ((ticks.reduce((sum, t) => sum + t, 0) - idle) * 1000) / CLK_TCK;
}

/** A signed-in console session (cookie header) for the demo operator, as a browser gets one. */
async function sessionCookie(origin: string, email = "operator@example.com"): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0];
      const at = pair.indexOf("=");
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  let response = await fetch(`${origin}/api/auth/csrf`);
  keep(response);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  response = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password: "password", json: "true" }),
  });
  keep(response);
  return cookie();
}

// ---------------------------------------------------------------- the issue path: floor and product

const payload = Buffer.from(JSON.stringify({ access_key_id: "AKIA" + "X".repeat(16), secret_access_key: "s".repeat(40) })).toString(
  "base64",
);

interface Batch {
  latencies: number[];
  errors: number;
  seconds: number;
  /** CPU used meanwhile, in ms: by every process, by the console's server process, by this script (the clients). */
  cpu: { machine: number; server: number; script: number };
}

async function batch(count: number, clients: number, op: () => Promise<boolean>, serverPid?: number): Promise<Batch> {
  const latencies: number[] = [];
  let errors = 0;
  const before = { machine: machineCpuMs(), server: serverPid ? cpuMsOf(serverPid) : 0, script: process.cpuUsage() };
  const started = performance.now();
  await inPool(Array.from({ length: count }), clients, async () => {
    const t = performance.now();
    const ok = await op().catch(() => false);
    latencies.push(performance.now() - t);
    if (!ok) errors += 1;
  });
  const seconds = (performance.now() - started) / 1000;
  const script = process.cpuUsage(before.script);
  const cpu = {
    machine: machineCpuMs() - before.machine,
    server: serverPid ? cpuMsOf(serverPid) - before.server : 0,
    script: (script.user + script.system) / 1000,
  };
  return { latencies, errors, seconds, cpu };
}

function merge(batches: Batch[]) {
  const latencies = batches.flatMap((b) => b.latencies).sort((x, y) => x - y);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
  const seconds = batches.reduce((s, b) => s + b.seconds, 0);
  const perOp = (key: keyof Batch["cpu"]) => batches.reduce((s, b) => s + b.cpu[key], 0) / latencies.length;
  return {
    rps: latencies.length / seconds,
    p50: pct(50),
    p99: pct(99),
    errors: batches.reduce((s, b) => s + b.errors, 0),
    n: latencies.length,
    /** CPU per operation, in ms. */
    cpu: { machine: perOp("machine"), server: perOp("server"), script: perOp("script") },
  };
}

/**
 * The physical floor of one issue: the KV-v2 write with cas 0 and one
 * PostgreSQL transaction inserting the credential row and its audit row,
 * from this script, over the same proxy and pool size the console uses.
 */
function floorOp(pool: pg.Pool, cloudId: string, actorId: string) {
  return async () => {
    const id = randomUUID();
    const kv = await fetch(`${kvUrl}/v1/secret/data/plexsphere/clouds/${cloudId}/cloud-credentials/${id}`, {
      method: "POST",
      headers: { "x-vault-token": kvToken, "content-type": "application/json" },
      body: JSON.stringify({ options: { cas: 0 }, data: { payload, key_values: {} } }),
    });
    await kv.arrayBuffer();
    if (!kv.ok) return false;
    const client = await pool.connect();
    try {
      const now = new Date();
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO cloud_credentials (id, cloud_id, display_name, version, expires_at, issued_by_id, created_at, updated_at)
         VALUES ($1, $2, $3, 1, $4, $5, $6, $6)`,
        [id, cloudId, "floor", new Date(now.getTime() + 90 * 86_400_000), actorId, now],
      );
      // The entry as the console writes it, MAC and all (the sealer refuses one without).
      const entry = {
        id: randomUUID(),
        at: now,
        actorId,
        action: "credential.issue",
        targetType: "cloud_credential",
        targetId: id,
        cloudId,
        outcome: "succeeded",
        reason: null,
        correlationId: randomUUID(),
        repeatCount: 1,
      };
      await client.query(
        `INSERT INTO audit_entries (id, at, actor_id, action, target_type, target_id, cloud_id, outcome, correlation_id, repeat_count, mac)
         VALUES ($1, $2, $3, 'credential.issue', 'cloud_credential', $4, $5, 'succeeded', $6, 1, $7)`,
        [entry.id, now, actorId, id, cloudId, entry.correlationId, entryMac(benchMacKey, entry)],
      );
      await client.query("COMMIT");
      return true;
    } catch {
      await client.query("ROLLBACK").catch(() => {});
      return false;
    } finally {
      client.release();
    }
  };
}

let lastFailure = "";
function productOp(origin: string, token: string, cloudId: string) {
  let n = 0;
  return async () => {
    const response = await fetch(`${origin}/v1/clouds/${cloudId}/cloud-credentials`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ display_name: `bench ${n++}`, payload, key_values: { role: "bench" } }),
    });
    const text = await response.text();
    if (response.status !== 201) lastFailure = `${response.status} ${text.slice(0, 300)}`;
    return response.status === 201;
  };
}

async function createCloud(origin: string, token: string, slug: string): Promise<string> {
  const response = await fetch(`${origin}/v1/clouds`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      display_name: `Bench ${slug}`,
      slug,
      provider: "aws",
      endpoint: {},
      region_defaults: {},
      external_id: `acct-${slug}-${randomUUID().slice(0, 8)}`,
    }),
  });
  if (response.status !== 201) throw new Error(`creating Cloud ${slug}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

// ---------------------------------------------------------------- seeding, straight into the tables

interface PageRows {
  operator: string;
  owner: string;
  /** Holds nothing of their own: a group they belong to observes every seeded Cloud and Project. */
  member: string;
  /** The Cloud whose page is timed: it holds every seeded credential. */
  cloud: string;
  /** The Project the pending requests are for. */
  project: string;
}

/** `count` credentials, audit entries, Projects, Clouds and tokens, and a tenth as many pending requests. */
async function seed(db: pg.Client, ids: PageRows, count: number) {
  const run = randomBytes(3).toString("hex");
  // All expire within 30 days: the Expiring page's worst case.
  await db.query(
    `INSERT INTO cloud_credentials (id, cloud_id, display_name, version, expires_at, issued_by_id, created_at, updated_at)
     SELECT gen_random_uuid(), $2::uuid, 'seeded ' || i, 1,
            now() + ((i % 28) + 1) * interval '1 day', $3::uuid, now() - i * interval '1 second', now()
       FROM generate_series(1, $1::int) i`,
    [count, ids.cloud, ids.operator],
  );
  await seedAuditEntries(db, ids, count);
  await db.query(
    `INSERT INTO projects (id, slug, name, created_by_id, created_at, updated_at)
     SELECT gen_random_uuid(), 'bench-${run}-' || i, 'Bench project ' || i, $2::uuid, now(), now() FROM generate_series(1, $1::int) i`,
    [count, ids.operator],
  );
  await db.query(
    `WITH c AS (
       INSERT INTO clouds (id, slug, display_name, provider, external_id, endpoint, region_defaults, created_by_id, created_at, updated_at)
       SELECT gen_random_uuid(), 'bench-${run}-' || i, 'Bench Cloud ' || i, 'aws', 'bench-${run}-' || i, '{}', '{}', $2::uuid, now(), now()
         FROM generate_series(1, $1::int) i RETURNING id)
     INSERT INTO relation_tuples (id, object_type, object_id, relation, subject_type, subject_id, created_at)
     SELECT gen_random_uuid(), 'cloud', c.id::text, 'manage', 'user', $2, now() FROM c`,
    [count, ids.operator],
  );
  await db.query(
    `INSERT INTO api_tokens (id, user_id, env_prefix, digest, created_at, expires_at)
     SELECT gen_random_uuid(), $2::uuid, 'dev', md5('${run}' || i) || md5('x${run}' || i), now() - i * interval '1 second', now() + interval '30 days'
       FROM generate_series(1, $1::int) i`,
    [count, ids.operator],
  );
  // One group that observes every seeded Cloud and Project, as an organisation
  // grants its engineers; the member sees them through it, not platform-wide.
  await db.query(
    `WITH g AS (
       INSERT INTO groups (id, slug, display_name, source, created_at, updated_at)
       VALUES (gen_random_uuid(), 'bench-everyone-${run}', 'Everyone', 'manual', now(), now()) RETURNING id),
     m AS (INSERT INTO group_members (group_id, user_id, source, created_at) SELECT g.id, $1::uuid, 'manual', now() FROM g)
     INSERT INTO relation_tuples (id, object_type, object_id, relation, subject_type, subject_id, created_at)
     SELECT gen_random_uuid(), 'cloud', c.id::text, 'observer', 'group', g.id::text, now() FROM clouds c, g WHERE c.slug LIKE 'bench-${run}-%' OR
     c.id = $2::uuid
     UNION ALL
     SELECT gen_random_uuid(), 'project', p.id::text, 'deploy', 'group', g.id::text, now() FROM projects p, g WHERE p.slug LIKE 'bench-${run}-%'`,
    [ids.member, ids.cloud],
  );
  // Pending requests in one Project, by the owner, for the operator to decide.
  await db.query(
    `INSERT INTO credential_assignments (id, project_id, cloud_credential_id, state, requested_by_id, created_at, updated_at)
     SELECT gen_random_uuid(), $1::uuid, cc.id, 'requested', $2::uuid, now(), now()
       FROM cloud_credentials cc WHERE cc.cloud_id = $3::uuid AND cc.display_name LIKE 'seeded %'
      LIMIT $4`,
    [ids.project, ids.owner, ids.cloud, Math.ceil(count / 10)],
  );
}

/**
 * Audit entries as the console writes them: each with its MAC under the
 * consoles' auth secret (BENCH_AUTH_SECRET), or the sealer would refuse the
 * first one and chain nothing after it. In batches, through unnest.
 */
async function seedAuditEntries(db: pg.Client, ids: PageRows, count: number) {
  const now = Date.now();
  for (let start = 1; start <= count; start += 10_000) {
    const entries = Array.from({ length: Math.min(10_000, count - start + 1) }, (_, k) => {
      const entry = {
        id: randomUUID(),
        at: new Date(now - (start + k) * 1000),
        actorId: ids.operator,
        action: "credential.issue",
        targetType: "cloud_credential",
        targetId: randomUUID(),
        cloudId: ids.cloud,
        outcome: "succeeded",
        reason: null,
        correlationId: randomUUID(),
        repeatCount: 1,
      };
      return { ...entry, mac: entryMac(benchMacKey, entry) };
    });
    const column = <K extends keyof (typeof entries)[number]>(name: K) => entries.map((e) => e[name]);
    await db.query(
      `INSERT INTO audit_entries (id, at, actor_id, action, target_type, target_id, cloud_id, outcome, correlation_id, repeat_count, mac)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::text[],
                            $9::text[], $10::int[], $11::text[])`,
      [
        column("id"),
        entries.map((e) => e.at.toISOString()),
        column("actorId"),
        column("action"),
        column("targetType"),
        column("targetId"),
        column("cloudId"),
        column("outcome"),
        column("correlationId"),
        column("repeatCount"),
        column("mac"),
      ],
    );
  }
}

/**
 * Settled, as a database that grew over months is: the console's audit
 * sealer (a 10-second timer) has chained the seeded entries, and the tables
 * have fresh statistics and a visibility map, so neither the sealer nor
 * autovacuum works through a bulk load during the timings.
 */
async function settle(db: pg.Client) {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const { rows } = await db.query<{ unsealed: number }>("SELECT count(*)::int AS unsealed FROM audit_entries WHERE seq IS NULL");
    if (rows[0].unsealed === 0) break;
    if (Date.now() > deadline) throw new Error(`the audit sealer left ${rows[0].unsealed} entries unsealed`);
    await sleep(500);
  }
  await db.query("VACUUM ANALYZE");
}

/** One console's database filled to `count` rows for the pages, and a signed-in operator's session. */
async function preparePages(origin: string, database: string, count: number) {
  const operator = await demoToken(origin, "operator@example.com");
  const owner = await demoToken(origin, "owner@example.com");
  const member = await demoToken(origin, "viewer@example.com");
  const ids: PageRows = {
    operator: operator.userId,
    owner: owner.userId,
    member: member.userId,
    cloud: await createCloud(origin, operator.token, `pages-${randomBytes(3).toString("hex")}`),
    project: randomUUID(),
  };
  const db = new pg.Client({ connectionString: dbUrl(5432, database) });
  db.on("error", (error) => log(`seeding connection lost: ${error.message}`));
  await db.connect();
  try {
    await db.query(
      `INSERT INTO projects (id, slug, name, created_by_id, created_at, updated_at) VALUES ($1, $2, 'Bench approvals', $3, now(), now())`,
      [ids.project, `bench-approvals-${randomBytes(3).toString("hex")}`, ids.operator],
    );
    await db.query(
      `INSERT INTO cloud_assignments (id, cloud_id, project_id, state, requested_by_id, decided_by_id, decided_at, created_at, updated_at) VALUES
      (gen_random_uuid(), $1, $2, 'approved', $3, $3, now(), now(), now())`,
      [ids.cloud, ids.project, ids.operator],
    );
    await seed(db, ids, count);
    const cookie = await sessionCookie(origin);
    const memberCookie = await sessionCookie(origin, "viewer@example.com");
    await settle(db);
    return { cloud: ids.cloud, cookie, memberCookie };
  } finally {
    await db.end();
  }
}

// ---------------------------------------------------------------- pages

interface Side {
  origin: string;
  cookie: string;
  pathname: string;
  pid: number;
}

interface PageTiming {
  ms: number;
  bytes: number;
  status: number;
  rssGrowth: number;
}

/**
 * Every page from the small and the big console in turn (which goes first
 * alternates), so both scales are timed on the same machine state: a
 * warm-up each, then `samples` rounds over all the pages, taking each
 * page's median at each scale. A round visits every page before the next
 * round starts, so a background tick in either server (a timer's pass, a
 * collection) costs one sample of several pages, never all of one page's;
 * bytes of HTML; the server's largest RSS growth across one request.
 */
async function timeSideBySide(
  pages: { name: string; small: Side; big: Side }[],
  samples: number,
): Promise<Map<string, { small: PageTiming; big: PageTiming }>> {
  const result = new Map<Side, PageTiming>();
  const samplesOf = new Map<Side, number[]>();
  for (const page of pages) {
    for (const side of [page.small, page.big]) {
      result.set(side, { ms: Infinity, bytes: 0, status: 0, rssGrowth: 0 });
      samplesOf.set(side, []);
    }
  }
  const once = async (side: Side, timed: boolean) => {
    const before = rssOf(side.pid);
    const t = performance.now();
    const response = await fetch(`${side.origin}${side.pathname}`, {
      headers: { cookie: side.cookie },
      redirect: "manual",
      signal: AbortSignal.timeout(180_000),
    });
    const body = await response.arrayBuffer();
    const elapsed = performance.now() - t;
    const timing = result.get(side)!;
    timing.rssGrowth = Math.max(timing.rssGrowth, rssOf(side.pid) - before);
    timing.status = response.status;
    timing.bytes = body.byteLength;
    if (timed) samplesOf.get(side)!.push(elapsed);
    if (process.env.BENCH_DEBUG) log(`${side.origin}${side.pathname} ${elapsed.toFixed(1)} ms`);
  };
  for (const page of pages) {
    await once(page.small, false);
    await once(page.big, false);
  }
  for (let i = 0; i < samples; i++) {
    for (const page of pages) {
      for (const side of i % 2 === 0 ? [page.small, page.big] : [page.big, page.small]) await once(side, true);
    }
  }
  for (const [side, timing] of result) timing.ms = median(samplesOf.get(side)!);
  return new Map(pages.map((page) => [page.name, { small: result.get(page.small)!, big: result.get(page.big)! }]));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// ---------------------------------------------------------------- the run

async function main() {
  const started = Date.now();
  ensureBuilt();

  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on("error", () => {});
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  let proxy: CountingProxy | undefined;
  let smallProxy: CountingProxy | undefined;
  let pool: pg.Pool | undefined;
  try {
    const kv = startProcess(
      "kv2-double",
      process.execPath,
      ["--import", "tsx", path.join(root, "testing/kv2-double-server.ts"), "--port", String(ports.kv), "--token", kvToken],
      {
        env: {},
        log: path.join(work, "kv.log"),
      },
    );
    proxy = await startCountingProxy({ port: ports.proxy, targetHost: "127.0.0.1", targetPort: 5432 });
    const server = startConsole("console", ports.server, {
      DATA_DIR: path.join(work, "console-data"),
      DATABASE_URL: dbUrl(ports.proxy),
      VAULT_ADDR: kvUrl,
      VAULT_TOKEN: kvToken,
    });
    await waitUp(`${kvUrl}/v1/sys/health`, kv, 60).catch(() => waitUp(kvUrl, kv, 30));
    await waitUp(`${base}/v1/health`, server, 300);
    log("console up on PostgreSQL + KV-v2 double");

    const operator = await demoToken(base, "operator@example.com");
    const issueCloud = await createCloud(base, operator.token, `issue-${randomBytes(3).toString("hex")}`);

    // ---- statements per issue and per read (the quietest of five, so a background tick is not counted)
    const issue = productOp(base, operator.token, issueCloud);
    await issue();
    const perIssue: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = proxy.statements();
      if (!(await issue())) throw new Error(`an issue failed while counting statements: ${lastFailure}`);
      perIssue.push(proxy.statements() - before);
    }
    const listed = await (
      await fetch(`${base}/v1/clouds/${issueCloud}/cloud-credentials?limit=1`, { headers: { authorization: `Bearer ${operator.token}` } })
    ).json();
    const credentialId = (listed as { items: { id: string }[] }).items[0].id;
    const perRead: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = proxy.statements();
      const response = await fetch(`${base}/v1/cloud-credentials/${credentialId}`, {
        headers: { authorization: `Bearer ${operator.token}` },
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`a read answered ${response.status}`);
      perRead.push(proxy.statements() - before);
    }
    const issueStatements = Math.min(...perIssue);
    const readStatements = Math.min(...perRead);

    // ---- floor vs product, interleaved, at 1/8/32 clients
    pool = new pg.Pool({ connectionString: dbUrl(ports.proxy), max: 10 });
    pool.on("error", () => {}); // an idle client cut by the server is replaced on the next checkout
    const floor = floorOp(pool, issueCloud, operator.userId);
    await batch(16, 8, floor);
    await batch(16, 8, issue);
    const issueRows: { clients: number; floor: ReturnType<typeof merge>; product: ReturnType<typeof merge> }[] = [];
    for (const clients of CONCURRENCY) {
      const per = Math.max(clients * 2, Math.round(ISSUES / ROUNDS));
      const f: Batch[] = [];
      const p: Batch[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        f.push(await batch(per, clients, floor));
        p.push(await batch(per, clients, issue, server.child.pid));
      }
      issueRows.push({ clients, floor: merge(f), product: merge(p) });
      log(`issue at ${clients} clients measured`);
    }

    // ---- pages, side by side: a second console on a second database holds the small scale
    // Its statements go through a proxy of their own, as the big console's do.
    await admin.query(`CREATE DATABASE ${smallDbName}`);
    smallProxy = await startCountingProxy({ port: ports.smallProxy, targetHost: "127.0.0.1", targetPort: 5432 });
    const smallServer = startConsole("console-small", ports.small, {
      DATA_DIR: path.join(work, "console-small-data"),
      DATABASE_URL: dbUrl(ports.smallProxy, smallDbName),
      VAULT_ADDR: kvUrl,
      VAULT_TOKEN: kvToken,
    });
    const bigPages = await preparePages(base, dbName, BIG);
    log(`seeded ${BIG}`);
    await waitUp(`${smallBase}/v1/health`, smallServer, 300);
    const smallPages = await preparePages(smallBase, smallDbName, SMALL);
    log(`seeded ${SMALL} beside it`);
    // As the platform operator, who sees everything; then as a member of a
    // group that observes every Cloud and Project.
    const pages = [
      { name: "Cloud page", path: (cloud: string) => `/clouds/${cloud}` },
      { name: "Expiring soon", path: () => "/credentials/expiring" },
      { name: "Approvals", path: () => "/approvals" },
      { name: "Audit", path: () => "/audit" },
      { name: "Projects", path: () => "/projects" },
      { name: "Clouds list", path: () => "/clouds" },
      { name: "API tokens", path: () => "/settings/tokens" },
      { name: "Clouds list, group member", path: () => "/clouds", member: true },
      { name: "Projects, group member", path: () => "/projects", member: true },
      { name: "Expiring soon, group member", path: () => "/credentials/expiring", member: true },
    ];
    const sides = (page: { path: (cloud: string) => string; member?: boolean }) =>
      [
        {
          origin: smallBase,
          cookie: page.member ? smallPages.memberCookie : smallPages.cookie,
          pathname: page.path(smallPages.cloud),
          pid: smallServer.child.pid!,
        },
        {
          origin: base,
          cookie: page.member ? bigPages.memberCookie : bigPages.cookie,
          pathname: page.path(bigPages.cloud),
          pid: server.child.pid!,
        },
      ] as const;
    // Both servers render every page ten times first: a fresh server's
    // rendering code is not yet optimised by V8, and the two have served
    // different requests so far.
    for (let round = 0; round < 10; round++) {
      for (const page of pages) {
        for (const side of sides(page))
          await (await fetch(`${side.origin}${side.pathname}`, { headers: { cookie: side.cookie }, redirect: "manual" })).arrayBuffer();
      }
    }
    // The median of nine: a page's samples spread over ±25% on two shared
    // cores, so the best of seven at each scale was a lucky draw on either
    // side (one run in two had a page "over 1.2x" whose medians were 0.97x).
    const samples = 9;
    const timings = await timeSideBySide(
      pages.map((page) => {
        const [small, big] = sides(page);
        return { name: page.name, small, big };
      }),
      samples,
    );
    log("pages measured side by side");

    // First-load JavaScript, from the pages' own script tags and the build's files.
    const firstLoad: { name: string; bytes: number }[] = [];
    for (const [name, pathname, withCookie] of [
      ["/login", "/login", false],
      ["Clouds list", "/clouds", true],
      ["issue form", `/clouds/${smallPages.cloud}/credentials/new`, true],
    ] as const) {
      const html = await (await fetch(`${smallBase}${pathname}`, { headers: withCookie ? { cookie: smallPages.cookie } : {} })).text();
      firstLoad.push({ name, bytes: firstLoadJs(html, root).gzipBytes });
    }
    await killGroup(smallServer);
    await killGroup(server);
    await pool.end();
    pool = undefined;

    // ---- the embedded default: start time, idle memory, 32 clients
    const embeddedData = path.join(work, "embedded-data");
    const startEmbedded = async () => {
      const t = Date.now();
      const handle = startConsole("embedded", ports.embedded, { DATA_DIR: embeddedData });
      await waitUp(`${embeddedBase}/login`, handle, 300);
      return { handle, seconds: (Date.now() - t) / 1000 };
    };
    const fresh = await startEmbedded();
    await killGroup(fresh.handle);
    const again = await startEmbedded();
    const embeddedCookie = await sessionCookie(embeddedBase);
    await (await fetch(`${embeddedBase}/clouds`, { headers: { cookie: embeddedCookie } })).arrayBuffer();
    await sleep(5_000);
    const idleRss = rssOf(again.handle.child.pid!);
    const embeddedOperator = await demoToken(embeddedBase, "operator@example.com");
    const embeddedCloud = await createCloud(embeddedBase, embeddedOperator.token, `emb-${randomBytes(3).toString("hex")}`);
    const embeddedIssue = merge([await batch(quick ? 96 : 320, 32, productOp(embeddedBase, embeddedOperator.token, embeddedCloud))]);
    await killGroup(again.handle);
    await killGroup(kv);

    // ---- the table
    for (const { clients, floor: f, product: p } of issueRows) {
      const tput = p.rps / f.rps;
      const p99 = p.p99 / f.p99;
      const gate = clients === 32;
      row(
        `issue, ${clients} client${clients === 1 ? "" : "s"}: throughput`,
        `${f.rps.toFixed(0)}/s`,
        `${p.rps.toFixed(0)}/s`,
        `${tput.toFixed(2)}×`,
        gate ? "≥ 0.5×" : "",
        gate ? yes(tput >= 0.5) : "",
      );
      row(
        `issue, ${clients} client${clients === 1 ? "" : "s"}: p50 / p99`,
        `${ms(f.p50)} / ${ms(f.p99)}`,
        `${ms(p.p50)} / ${ms(p.p99)}`,
        `${p99.toFixed(2)}× (p99)`,
        gate ? "p99 ≤ 2×" : "",
        gate ? yes(p99 <= 2) : "",
      );
      row(
        `issue, ${clients} client${clients === 1 ? "" : "s"}: errors`,
        `${f.errors} of ${f.n}`,
        `${p.errors} of ${p.n}`,
        "",
        gate ? "0" : "",
        gate ? yes(p.errors === 0) : "",
      );
    }
    // Where the time goes at 32 clients: CPU per issue on the whole machine,
    // and, of the product's, the console's server process and this script's
    // HTTP clients. Two cores bound what any side can reach: 2 × 1000 / ms.
    const { floor: lf, product: lp } = issueRows[issueRows.length - 1];
    row(
      "issue, 32 clients: CPU per issue, every process",
      ms(lf.cpu.machine),
      `${ms(lp.cpu.machine)} (console server ${ms(lp.cpu.server)}, bench clients ${ms(lp.cpu.script)})`,
      `${(lp.cpu.machine / lf.cpu.machine).toFixed(2)}×`,
    );
    row("statements per issue (PostgreSQL)", "", String(issueStatements), "", "≤ 5", yes(issueStatements <= 5));
    row("statements per credential read", "", String(readStatements), "", "≤ 2", yes(readStatements <= 2));
    for (const page of pages) {
      const { small: a, big: b } = timings.get(page.name)!;
      const ratio = b.ms / a.ms;
      const ok = ratio <= 1.2 && b.bytes <= 300 * 1024 && b.rssGrowth < 100 * 1024 * 1024 && b.status === 200;
      row(
        `${page.name} (${SMALL.toLocaleString("en")} vs ${BIG.toLocaleString("en")})`,
        `${ms(a.ms)}, ${kb(a.bytes)}`,
        `${ms(b.ms)}, ${kb(b.bytes)}${b.status === 200 ? "" : ` (${b.status})`}, RSS +${kb(b.rssGrowth)}`,
        `${ratio.toFixed(2)}×`,
        "≤ 1.2×, ≤ 300 KB, RSS < +100 MB",
        yes(ok),
      );
    }
    for (const { name, bytes } of firstLoad) row(`first-load JS, ${name} (gzip)`, "", kb(bytes), "", "≤ 150 KB", yes(bytes <= 150 * 1024));
    row(
      "`npm start` to first answer, embedded (fresh data dir / existing)",
      `${fresh.seconds.toFixed(1)} s`,
      `${again.seconds.toFixed(1)} s`,
      "",
      "≤ 6 s (existing)",
      yes(again.seconds <= 6),
    );
    row("idle RSS, embedded (after sign-in and one page)", "", kb(idleRss), "", "≤ 300 MB", yes(idleRss <= 300 * 1024 * 1024));
    row(
      "embedded, 32 clients issuing",
      "",
      `${embeddedIssue.rps.toFixed(0)}/s, p99 ${ms(embeddedIssue.p99)}, ${embeddedIssue.errors} errors of ${embeddedIssue.n}`,
      "",
      "0 errors",
      yes(embeddedIssue.errors === 0),
    );

    const header = ["measure", "floor / small", "product / big", "ratio", "target", "met"];
    const lines = [
      `| ${header.join(" | ")} |`,
      `|${header.map(() => "---").join("|")}|`,
      ...rows.map((r) => `| ${[r.measure, r.a, r.b, r.ratio, r.target, r.met].join(" | ")} |`),
    ];
    console.log(
      `\nnpm run bench${quick ? " -- --quick" : ""} · ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · ` +
        `${cpuLine()} · ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
    );
    console.log(lines.join("\n"));
  } finally {
    killAllChildren();
    await pool?.end().catch(() => {});
    await proxy?.close().catch(() => {});
    await smallProxy?.close().catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await admin.query(`DROP DATABASE IF EXISTS ${smallDbName} WITH (FORCE)`).catch(() => {});
    await admin.end().catch(() => {});
    if (!process.env.KEEP_BENCH_LOGS) rmSync(work, { recursive: true, force: true });
    else log(`logs kept in ${work}`);
  }
}

function cpuLine(): string {
  const cpus = readFileSync("/proc/cpuinfo", "utf8").match(/^processor/gm)?.length ?? 0;
  const model = /model name\s*:\s*(.+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? "unknown CPU";
  return `${cpus} cores (${model})`;
}

process.on("SIGINT", () => {
  killAllChildren();
  process.exit(130);
});

main().catch((error: unknown) => {
  console.error(error);
  killAllChildren();
  process.exit(1);
});
