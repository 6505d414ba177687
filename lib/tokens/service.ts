import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import { deny } from "@/lib/audit/service";
import type { Actor } from "@/lib/authz/service";
import { db } from "@/lib/db/client";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
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

const PLAINTEXT = /^psk_(dev|stage|prod)_[A-Za-z0-9_-]{43}$/;

export interface TokenSummary {
  id: string;
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

const SUMMARY = { id: true, envPrefix: true, createdAt: true, expiresAt: true, lastUsedAt: true, rotatedAt: true } as const;

export async function issueToken(
  actor: Actor,
  options: { envPrefix: TokenEnv; ttlSeconds?: number; notAfter?: Date },
  now = new Date(),
): Promise<IssuedToken> {
  const ttl = options.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) {
    throw new ValidationError("invalid_body", `ttl_seconds must be from 1 to ${MAX_TOKEN_TTL_SECONDS}`, { ttl: "Pick a lifetime of at most a year." });
  }
  const plaintext = mint(options.envPrefix);
  const row = await db().apiToken.create({
    data: {
      id: uuidv7(),
      userId: actor.id,
      envPrefix: options.envPrefix,
      digest: digestOf(plaintext),
      createdAt: now,
      expiresAt: new Date(Math.min(now.getTime() + ttl * 1000, options.notAfter?.getTime() ?? Infinity)),
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
      ...(from ? { OR: [{ createdAt: { [cmp]: new Date(from.createdAt) } }, { createdAt: new Date(from.createdAt), id: { [cmp]: from.id } }] } : {}),
    },
    orderBy: backwards ? [{ createdAt: "asc" }, { id: "asc" }] : [{ createdAt: "desc" }, { id: "desc" }],
    select: SUMMARY,
    take: page.limit + 1,
  });
  return finishPage(rows, page.limit, backwards, from !== undefined, (row) => row, (t) => ({ createdAt: t.createdAt.toISOString(), id: t.id }));
}

/**
 * The token a /v1 caller authenticated with, if any. A rotated-out
 * plaintext still inside its Sunset may call the API, but may not manage
 * tokens: revoking or rotating would take the token from its new holder.
 */
export interface PresentedToken {
  retiring: boolean;
}

/** Revokes at once, with no grace. Someone else's token is "not found", like a missing one. */
export async function revokeToken(actor: Actor, tokenId: string, presented?: PresentedToken, now = new Date()): Promise<void> {
  if (presented?.retiring) throw await deny(actor.id, "token.revoke", { type: "api_token", id: tokenId });
  const { count } = isUuid(tokenId)
    ? await db().apiToken.updateMany({ where: { id: tokenId, userId: actor.id, revokedAt: null }, data: { revokedAt: now } })
    : { count: 0 };
  if (count === 0) throw new NotFoundError("token_not_found", "no such token");
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
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM api_tokens WHERE id = ${tokenId}::uuid FOR UPDATE`;
    const current = await tx.apiToken.findFirst({ where: { id: tokenId, userId: actor.id, revokedAt: null, expiresAt: { gt: now } } });
    if (!current) throw new NotFoundError("token_not_found", "no such token");
    const plaintext = mint(current.envPrefix);
    const sunset = new Date(Math.min(now.getTime() + ROTATION_GRACE_SECONDS * 1000, current.expiresAt.getTime()));
    // The lifetime of the current plaintext, measured from when it was minted, so rotating never extends it.
    const ttl = Math.min(current.expiresAt.getTime() - (current.rotatedAt ?? current.createdAt).getTime(), MAX_TOKEN_TTL_SECONDS * 1000);
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
  user: { id: string; email: string; displayName: string };
  tokenId: string;
  expiresAt: Date;
  /** True for a rotated-out plaintext inside its Sunset grace: good for calls, not for managing tokens. */
  retiring: boolean;
}

/** Who a bearer plaintext belongs to; undefined for anything unknown, expired, revoked or retired. */
export async function authenticateToken(plaintext: string, now = new Date()): Promise<TokenAuthentication | undefined> {
  if (!PLAINTEXT.test(plaintext)) return undefined;
  const digest = digestOf(plaintext);
  const token = await db().apiToken.findFirst({
    where: {
      revokedAt: null,
      OR: [
        { digest, expiresAt: { gt: now } },
        { previousDigest: digest, previousExpiresAt: { gt: now } },
      ],
    },
    include: { user: { select: { id: true, email: true, displayName: true } } },
  });
  if (!token) return undefined;
  // Recorded at most once a minute, so busy automation does not write on every call.
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 60_000) {
    await db().apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  const retiring = token.digest !== digest;
  return { user: token.user, tokenId: token.id, expiresAt: retiring ? token.previousExpiresAt! : token.expiresAt, retiring };
}
