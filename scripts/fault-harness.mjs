// The machinery under scripts/test-faults.mjs: child processes in their own
// process groups (so a SIGKILL takes the whole `next start` tree), HTTP calls
// that never hang, a demo-cast sign-in without a browser, and small counters.
import { spawn } from "node:child_process";
import { openSync } from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..");
export const DEMO_PASSWORD = "password";

const children = new Set();

/** Starts a command detached (own process group), its output appended to `log`. */
export function startProcess(name, command, args, { env, log }) {
  const out = openSync(log, "a");
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", out, out], detached: true });
  children.add(child);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  child.once("exit", () => children.delete(child));
  return { name, child, log, exited };
}

/** SIGKILL to the whole group, then waits (bounded) for the leader to be gone. */
export async function killGroup(handle, seconds = 10) {
  if (!handle || handle.child.exitCode !== null || handle.child.signalCode !== null) return;
  try {
    process.kill(-handle.child.pid, "SIGKILL");
  } catch {
    // already gone
  }
  await Promise.race([handle.exited, sleep(seconds * 1000)]);
}

/** Every child still alive, killed; never relies on a graceful shutdown. */
export function killAllChildren() {
  for (const child of children) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitUp(url, handle, seconds = 120) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (handle && (handle.child.exitCode !== null || handle.child.signalCode !== null)) {
      throw new Error(`${handle.name} exited before it answered ${url} (see ${handle.log})`);
    }
    try {
      const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${url} did not answer within ${seconds}s${handle ? ` (see ${handle.log})` : ""}`);
}

/**
 * One HTTP call that always settles: `{ status, headers, body }`, status 0
 * with `error` when no answer came (refused, reset, timed out).
 */
export async function call(base, method, pathname, { token, body, headers = {}, timeoutMs = 30_000 } = {}) {
  try {
    const response = await fetch(`${base}${pathname}`, {
      method,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    let parsed = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON; keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  } catch (error) {
    return { status: 0, headers: new Headers(), body: undefined, error: error?.cause?.code ?? error?.name ?? String(error) };
  }
}

/**
 * Signs a demo-cast member in through next-auth's credentials endpoint, as a
 * browser would, and mints an API token with that session (cookie callers
 * send the double-submit CSRF value), exactly as e2e/api/callers.ts does.
 */
export async function demoToken(base, email) {
  const jar = new Map();
  const keep = (response) => {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0];
      const at = pair.indexOf("=");
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const timeout = () => AbortSignal.timeout(30_000);

  let response = await fetch(`${base}/api/auth/csrf`, { signal: timeout() });
  keep(response);
  const { csrfToken } = await response.json();
  response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    signal: timeout(),
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password: DEMO_PASSWORD, json: "true" }),
  });
  keep(response);
  if (response.status >= 400) throw new Error(`sign-in as ${email} failed: ${response.status}`);
  response = await fetch(`${base}/v1/auth/whoami`, { headers: { cookie: cookie() }, signal: timeout() });
  keep(response);
  const whoami = await response.json();
  if (!whoami?.subject) throw new Error(`sign-in as ${email} left no session (whoami ${response.status})`);
  response = await fetch(`${base}/v1/auth/tokens`, {
    method: "POST",
    signal: timeout(),
    headers: {
      cookie: cookie(),
      "content-type": "application/json",
      "x-plexsphere-csrf": jar.get("plexsphere_csrf") ?? "",
      origin: new URL(base).origin,
    },
    body: JSON.stringify({ identity_ref: `user:${whoami.subject}`, env_prefix: "dev" }),
  });
  if (response.status !== 201) throw new Error(`token for ${email} failed: ${response.status} ${await response.text()}`);
  const { plaintext } = await response.json();
  return { userId: whoami.subject, token: plaintext };
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function inPool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** "201×8 503×2" */
export function tally(statuses) {
  const counts = new Map();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return (
    [...counts]
      .sort(([a], [b]) => String(a).localeCompare(String(b)))
      .map(([s, n]) => `${s}×${n}`)
      .join(" ") || "none"
  );
}

/** A 5xx is allowed only as 503 problem+json with a stable code; no answer at all is never allowed. */
export function isBadFailure(answer) {
  if (answer.status === 0) return true;
  if (answer.status < 500) return false;
  return !(answer.status === 503 && typeof answer.body?.code === "string" && answer.body.code.length > 0);
}

/** 503 + the given problem code + Retry-After: an outage the caller is told to wait out. */
export function describeOutageAnswer(answer, code) {
  const ok = answer.status === 503 && answer.body?.code === code && Boolean(answer.headers.get("retry-after"));
  const seen =
    `${answer.status}${answer.body?.code ? ` ${answer.body.code}` : ""}` +
    `${answer.error ? ` ${answer.error}` : ""}, Retry-After ${answer.headers.get("retry-after") ?? "absent"}`;
  return { ok, seen };
}

export const b64 = (s) => Buffer.from(s).toString("base64");

export function cloudBody(slug) {
  return {
    display_name: `Faults ${slug}`,
    slug,
    provider: "aws",
    endpoint: {},
    region_defaults: { region: "eu-west-1" },
    external_id: `acct-${slug}`,
  };
}

export function uniqueSlug(prefix) {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}
