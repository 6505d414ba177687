import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import { deny } from "@/lib/audit/service";
import type { Actor, Preauthorization } from "@/lib/authz/service";
import { db, queryRows } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { DomainError, NotFoundError, ValidationError } from "@/lib/errors";
import { spendOrRefuse, type RateLimit } from "@/lib/rate-limit";
import { isUuid } from "@/lib/validation";
import { descendsFrom, lineageDeadline, lineageIsLive, revokeDescendants } from "./lineage";
import { DEFAULT_TOKEN_NAME, tokenNameSchema } from "./schema";
import { finishPage, type Page } from "@/lib/lists/keyset";

/**
 * API tokens for the /v1 API: `psk_<env>_<43 base64url chars>` (256 random
 * bits). The plaintext is returned once; only its SHA-256 digest is stored.
 * A rotated token's previous plaintext keeps working until its Sunset.
 */
export { TOKEN_ENVS, type TokenEnv } from "./constants";
import type { TokenEnv } from "./constants";
export const DEFAULT_TOKEN_TTL_SECONDS = 30 * 86_400;
export const MAX_TOKEN_TTL_SECONDS = 365 * 86_400;
export const ROTATION_GRACE_SECONDS = 24 * 3_600;

/**
 * Tokens minted per account (console, /v1, device logins together), counted
 * in the database so the limit holds across instances. A person or a deploy
 * pipeline mints a handful; a stolen session minting thousands is the case
 * this stops.
 */
export const TOKEN_ISSUE_LIMIT = { points: 30, duration: 60 } as const satisfies RateLimit;

const PLAINTEXT = /^psk_(dev|stage|prod)_[A-Za-z0-9_-]{43}$/;

export interface TokenSummary {
  id: string;
  name: string;
  /** Who minted it; null once that account is gone. */
  createdBy: { id: string; email: string } | null;
  envPrefix: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  rotatedAt: Date | null;
}

export interface IssuedToken {
  id: string;
  plaintext: string;
  envPrefix: string;
  expiresAt: Date;
}

const digestOf = (plaintext: string) => createHash("sha256").update(plaintext, "utf8").digest("hex");
const mint = (env: string) => `psk_${env}_${randomBytes(32).toString("base64url")}`;

const SUMMARY = {
  id: true,
  name: true,
  createdBy: { select: { id: true, email: true } },
  envPrefix: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  rotatedAt: true,
} as const;

/** How often last_used_at is written for one token: busy automation must not write on every call. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Mints a token acting as `actor`. `createdBy` is who asked for it: the
 * actor themselves, or the person who approved a device login for them.
 * Unnamed (a /v1 client that sends no name) it is called "API token".
 * `parentTokenId` is the token it is minted with, if any: the new token
 * expires no later than that token and its ancestors, and dies with them.
 */
export async function issueToken(
  actor: Actor,
  options: { name?: string; envPrefix: TokenEnv; ttlSeconds?: number; parentTokenId?: string; createdBy?: Actor },
  now = new Date(),
): Promise<IssuedToken> {
  const name = tokenNameSchema.safeParse(options.name ?? DEFAULT_TOKEN_NAME);
  if (!name.success)
    throw new ValidationError("invalid_body", "the token's name must be 1 to 80 printable characters", {
      name: name.error.issues[0]?.message ?? "Name the token.",
    });
  const ttl = options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) {
    throw new ValidationError("invalid_body", `ttl_seconds must be from 1 to ${MAX_TOKEN_TTL_SECONDS}`, {
      ttl: "Pick a lifetime of at most a year.",
    });
  }
  await spendOrRefuse("token-issue:account", TOKEN_ISSUE_LIMIT, actor.id, {
    code: "token_issue_throttled",
    doing: "tokens minted for this account",
  });
  const deadline = options.parentTokenId ? await lineageDeadline(options.parentTokenId, now) : undefined;
  if (options.parentTokenId && !deadline)
    throw new DomainError("unauthenticated", "the token this one would be minted with is no longer valid", 401);
  const plaintext = mint(options.envPrefix);
  const row = await db().apiToken.create({
    data: {
      id: uuidv7(),
      userId: actor.id,
      name: name.data,
      createdById: (options.createdBy ?? actor).id,
      envPrefix: options.envPrefix,
      digest: digestOf(plaintext),
      createdAt: now,
      expiresAt: new Date(Math.min(now.getTime() + ttl * 1000, deadline?.getTime() ?? Infinity)),
      parentTokenId: options.parentTokenId ?? null,
    },
  });
  return { id: row.id, plaintext, envPrefix: row.envPrefix, expiresAt: row.expiresAt };
}

/** Keyset position in the token list (newest first). */
export interface TokenCursor {
  createdAt: string;
  id: string;
}

/**
 * The actor's live tokens, newest first (revoked and expired ones are not
 * listed), one keyset page at a time. The console pages by 50; the /v1 list
 * (a plain array in the contract) returns the first page of 200.
 */
export async function listTokensPage(
  actor: Actor,
  page: { limit: number; after?: TokenCursor; before?: TokenCursor },
  now = new Date(),
): Promise<Page<TokenSummary, TokenCursor>> {
  const from = page.after ?? page.before;
  const backwards = page.before !== undefined;
  const cmp = backwards ? "gt" : "lt";
  const rows = await db().apiToken.findMany({
    where: {
      userId: actor.id,
      revokedAt: null,
      expiresAt: { gt: now },
      ...(from
        ? { OR: [{ createdAt: { [cmp]: new Date(from.createdAt) } }, { createdAt: new Date(from.createdAt), id: { [cmp]: from.id } }] }
        : {}),
    },
    orderBy: backwards ? [{ createdAt: "asc" }, { id: "asc" }] : [{ createdAt: "desc" }, { id: "desc" }],
    select: SUMMARY,
    take: page.limit + 1,
  });
  return finishPage(
    rows,
    page.limit,
    backwards,
    from !== undefined,
    (row) => row,
    (t) => ({ createdAt: t.createdAt.toISOString(), id: t.id }),
  );
}

/**
 * The token a /v1 caller authenticated with, if any. A rotated-out
 * plaintext still inside its Sunset may call the API, but may not manage
 * tokens: revoking or rotating would take the token from its new holder.
 */
export interface PresentedToken {
  id: string;
  retiring: boolean;
}

/**
 * Revokes at once, with no grace, and every token minted with it (and with
 * those) along with it. Someone else's token is "not found", like a missing one.
 */
export async function revokeToken(actor: Actor, tokenId: string, presented?: PresentedToken, now = new Date()): Promise<void> {
  if (presented?.retiring) throw await deny(actor.id, "token.revoke", { type: "api_token", id: tokenId });
  if (!isUuid(tokenId)) throw new NotFoundError("token_not_found", "no such token");
  await db().$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({ where: { id: tokenId, userId: actor.id, revokedAt: null }, data: { revokedAt: now } });
    if (count === 0) throw new NotFoundError("token_not_found", "no such token");
    await revokeDescendants(tokenId, now, tx);
  });
}

/**
 * A new plaintext for the same token id; the old one works until the returned Sunset.
 * The row is locked for the whole rotation: two rotations at once take turns,
 * and the second rotates from the first's new plaintext, so neither hands out
 * a plaintext that is already dead.
 */
export async function rotateToken(
  actor: Actor,
  tokenId: string,
  presented?: PresentedToken,
  now = new Date(),
): Promise<IssuedToken & { sunset: Date }> {
  if (presented?.retiring) throw await deny(actor.id, "token.rotate", { type: "api_token", id: tokenId });
  if (!isUuid(tokenId)) throw new NotFoundError("token_not_found", "no such token");
  if (presented) {
    // Someone else's or a dead token stays "not found" to a bearer, as to a session.
    const owned = await db().apiToken.count({ where: { id: tokenId, userId: actor.id, revokedAt: null, expiresAt: { gt: now } } });
    if (owned === 0) throw new NotFoundError("token_not_found", "no such token");
    // A token may rotate itself or one minted with it, not another: the new plaintext would outlive and survive the caller.
    if (!(await descendsFrom(tokenId, presented.id))) throw await deny(actor.id, "token.rotate", { type: "api_token", id: tokenId });
  }
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM api_tokens WHERE id = ${tokenId}::uuid FOR UPDATE`;
    const current = await tx.apiToken.findFirst({ where: { id: tokenId, userId: actor.id, revokedAt: null, expiresAt: { gt: now } } });
    if (!current) throw new NotFoundError("token_not_found", "no such token");
    const deadline = current.parentTokenId ? await lineageDeadline(current.parentTokenId, now, tx) : undefined;
    if (current.parentTokenId && !deadline) throw new NotFoundError("token_not_found", "no such token");
    const plaintext = mint(current.envPrefix);
    const sunset = new Date(Math.min(now.getTime() + ROTATION_GRACE_SECONDS * 1000, current.expiresAt.getTime()));
    // The lifetime of the current plaintext, measured from when it was minted, so rotating never extends it;
    // nor past the token it was minted with.
    const ttl = Math.min(
      current.expiresAt.getTime() - (current.rotatedAt ?? current.createdAt).getTime(),
      MAX_TOKEN_TTL_SECONDS * 1000,
      (deadline?.getTime() ?? Infinity) - now.getTime(),
    );
    const row = await tx.apiToken.update({
      where: { id: current.id },
      data: {
        digest: digestOf(plaintext),
        previousDigest: current.digest,
        previousExpiresAt: sunset,
        rotatedAt: now,
        expiresAt: new Date(now.getTime() + ttl),
      },
    });
    return { id: row.id, plaintext, envPrefix: row.envPrefix, expiresAt: row.expiresAt, sunset };
  });
}

export interface TokenAuthentication {
  user: { id: string; email: string; displayName: string; answered?: ReadonlyMap<string, unknown> };
  tokenId: string;
  expiresAt: Date;
  /** True for a rotated-out plaintext inside its Sunset grace: good for calls, not for managing tokens. */
  retiring: boolean;
}

/**
 * Who a bearer plaintext belongs to; undefined for anything unknown, expired,
 * revoked or retired. One query reads the token with its account and, when
 * the route asks one (`question`), the permission answer for that account,
 * kept on the returned user for the rest of the request.
 */
export async function authenticateToken(
  plaintext: string,
  now = new Date(),
  question?: Preauthorization,
): Promise<TokenAuthentication | undefined> {
  if (!PLAINTEXT.test(plaintext)) return undefined;
  const digest = digestOf(plaintext);
  const [token] = await queryRows<TokenRow>(Prisma.sql`
    SELECT tok.id, tok.digest, tok.expires_at, tok.previous_expires_at, tok.last_used_at, u.id AS user_id, u.email, u.display_name,
           ${question ? question.condition(Prisma.sql`tok.user_id`) : Prisma.sql`NULL::boolean`} AS allowed
      FROM api_tokens tok JOIN users u ON u.id = tok.user_id
     WHERE tok.revoked_at IS NULL
       -- A disabled account's tokens stop at its next request.
       AND u.status = 'active'
       -- Minted with a token that has since been revoked (or one of its ancestors): dead too.
       AND ${lineageIsLive(Prisma.sql`tok`, now)}
       AND ((tok.digest = ${digest} AND tok.expires_at > ${now}) OR (tok.previous_digest = ${digest} AND tok.previous_expires_at > ${now}))
     LIMIT 1`);
  if (!token) return undefined;
  // Recorded at most once a minute; conditional, so concurrent calls write it once between them.
  if (!token.last_used_at || now.getTime() - token.last_used_at.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db().apiToken.updateMany({
      where: { id: token.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }] },
      data: { lastUsedAt: now },
    });
  }
  const retiring = token.digest !== digest;
  const user = {
    id: token.user_id,
    email: token.email,
    displayName: token.display_name,
    ...(question && token.allowed !== null ? { answered: new Map([[question.key, token.allowed]]) } : {}),
  };
  return { user, tokenId: token.id, expiresAt: retiring ? token.previous_expires_at! : token.expires_at, retiring };
}

interface TokenRow {
  id: string;
  digest: string;
  expires_at: Date;
  previous_expires_at: Date | null;
  last_used_at: Date | null;
  user_id: string;
  email: string;
  display_name: string;
  allowed: unknown;
}
