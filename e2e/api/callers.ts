import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { DEMO_PASSWORD, query, type Target } from "../fixtures";

/**
 * Callers for API tests. Demo-cast members sign in the way a browser does
 * and mint a token through POST /v1/auth/tokens; extra users (a second
 * operator) are seeded straight into the database with a token whose
 * digest we compute, as an administrator's script would.
 */
export interface Caller {
  label: string;
  userId: string;
  token: string;
  headers: Record<string, string>;
}

export async function signInWithPassword(request: APIRequestContext, email: string) {
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password: DEMO_PASSWORD, json: "true" },
    maxRedirects: 0,
  });
  if (response.status() >= 400) throw new Error(`sign-in failed: ${response.status()}`);
}

/** The double-submit CSRF value for a cookie session: GET any /v1 endpoint, read the cookie. */
export async function csrfHeaders(request: APIRequestContext, baseURL: string): Promise<Record<string, string>> {
  // Absolute, so a context aimed at one console can still ask another (the SSO-only server).
  await request.get(new URL("/v1/auth/whoami", baseURL).toString());
  const cookie = (await request.storageState()).cookies.find((c) => c.name === "plexsphere_csrf");
  if (!cookie) throw new Error("no CSRF cookie was set");
  return { "x-plexsphere-csrf": cookie.value, origin: new URL(baseURL).origin };
}

/**
 * Tokens minted for demo-cast members, kept per worker: the console allows an
 * account 30 mints a minute (TOKEN_ISSUE_LIMIT), and the API specs together
 * ask for a demo caller far more often than that. A kept token is reused only
 * while the console still accepts it, so a test that revokes one gets a fresh
 * one next time.
 */
const minted = new Map<string, Caller>();

export async function demoCaller(request: APIRequestContext, target: Target, email: string): Promise<Caller> {
  await signInWithPassword(request, email);
  const key = `${target.baseURL} ${email}`;
  const kept = minted.get(key);
  if (kept && (await request.get("/v1/auth/whoami", { headers: kept.headers })).status() === 200) return kept;
  const whoami = await (await request.get("/v1/auth/whoami")).json();
  const response = await request.post("/v1/auth/tokens", {
    headers: await csrfHeaders(request, target.baseURL),
    data: { identity_ref: `user:${whoami.subject}`, env_prefix: "dev" },
  });
  if (response.status() !== 201) throw new Error(`token issue failed: ${response.status()} ${await response.text()}`);
  const { plaintext } = await response.json();
  const caller = { label: email, userId: whoami.subject, token: plaintext, headers: { authorization: `Bearer ${plaintext}` } };
  minted.set(key, caller);
  return caller;
}

export async function seededCaller(target: Target, options: { label: string; platformAdmin?: boolean }): Promise<Caller> {
  const userId = randomUUID();
  const token = `psk_dev_${randomBytes(32).toString("base64url")}`;
  await query(target, `INSERT INTO users (id, email, display_name, password_hash) VALUES ($1, $2, $3, 'no-password')`, [
    userId,
    `${options.label}-${userId}@example.com`,
    options.label,
  ]);
  if (options.platformAdmin) {
    await query(
      target,
      `INSERT INTO relation_tuples (id, object_type, object_id, relation, subject_type, subject_id) VALUES ($1, 'platform', 'plexsphere',
      'manage', 'user', $2)`,
      [randomUUID(), userId],
    );
  }
  await query(
    target,
    `INSERT INTO api_tokens (id, user_id, env_prefix, digest, expires_at) VALUES ($1, $2, 'dev', $3, now() + interval '1 day')`,
    [randomUUID(), userId, createHash("sha256").update(token).digest("hex")],
  );
  return { label: options.label, userId, token, headers: { authorization: `Bearer ${token}` } };
}

export function cloudBody(slug: string, overrides: Record<string, unknown> = {}) {
  return {
    display_name: `API ${slug}`,
    slug,
    provider: "aws",
    endpoint: {},
    region_defaults: { region: "eu-west-1" },
    external_id: `acct-${slug}`,
    ...overrides,
  };
}

export const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
