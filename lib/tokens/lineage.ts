import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";

/**
 * A token minted with a token (POST /v1/auth/tokens by bearer, a device
 * login approved by bearer) is that token's child. A child never outlives
 * its ancestors and never survives them: its expiry is capped at theirs when
 * it is minted or rotated, and authentication refuses it the moment any
 * ancestor is revoked or expired. That last check is made on every request,
 * so a child minted while its parent was being revoked is refused too.
 */

/** SQL that is true when the token aliased `tok` has no revoked or expired ancestor. */
export function lineageIsLive(tok: Prisma.Sql, now: Date): Prisma.Sql {
  return Prisma.sql`NOT EXISTS (
    WITH RECURSIVE ancestor AS (
      SELECT p.id, p.parent_token_id, p.revoked_at, p.expires_at FROM api_tokens p WHERE p.id = ${tok}.parent_token_id
      UNION ALL
      SELECT p.id, p.parent_token_id, p.revoked_at, p.expires_at FROM api_tokens p JOIN ancestor a ON p.id = a.parent_token_id
    )
    SELECT 1 FROM ancestor WHERE ancestor.revoked_at IS NOT NULL OR ancestor.expires_at <= ${now})`;
}

/**
 * The latest moment a child of `tokenId` may live to: the earliest expiry of
 * that token and its ancestors. Undefined when any of them is gone, revoked
 * or expired, so nothing may be minted from it.
 */
export async function lineageDeadline(tokenId: string, now: Date, tx: Tx = db()): Promise<Date | undefined> {
  const [row] = await tx.$queryRaw<{ deadline: Date | null; dead: boolean | null; found: bigint }[]>`
    WITH RECURSIVE lineage AS (
      SELECT t.id, t.parent_token_id, t.revoked_at, t.expires_at FROM api_tokens t WHERE t.id = ${tokenId}::uuid
      UNION ALL
      SELECT p.id, p.parent_token_id, p.revoked_at, p.expires_at FROM api_tokens p JOIN lineage l ON p.id = l.parent_token_id
    )
    SELECT min(expires_at) AS deadline, bool_or(revoked_at IS NOT NULL OR expires_at <= ${now}) AS dead, count(*) AS found FROM lineage`;
  if (!row || Number(row.found) === 0 || row.dead || !row.deadline) return undefined;
  return row.deadline;
}

/** Revokes every descendant of `tokenId` (its children, theirs, ...) that is not revoked yet. */
export async function revokeDescendants(tokenId: string, now: Date, tx: Tx = db()): Promise<number> {
  return tx.$executeRaw`
    WITH RECURSIVE descendant AS (
      SELECT c.id FROM api_tokens c WHERE c.parent_token_id = ${tokenId}::uuid
      UNION ALL
      SELECT c.id FROM api_tokens c JOIN descendant d ON c.parent_token_id = d.id
    )
    UPDATE api_tokens SET revoked_at = ${now} WHERE id IN (SELECT id FROM descendant) AND revoked_at IS NULL`;
}

/** Whether `tokenId` is `ancestorId` itself or one of its descendants. */
export async function descendsFrom(tokenId: string, ancestorId: string, tx: Tx = db()): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ found: boolean }[]>`
    WITH RECURSIVE lineage AS (
      SELECT t.id, t.parent_token_id FROM api_tokens t WHERE t.id = ${tokenId}::uuid
      UNION ALL
      SELECT p.id, p.parent_token_id FROM api_tokens p JOIN lineage l ON p.id = l.parent_token_id
    )
    SELECT EXISTS (SELECT 1 FROM lineage WHERE id = ${ancestorId}::uuid) AS found`;
  return row?.found === true;
}
