import "server-only";
import { v7 as uuidv7 } from "uuid";
import { recordAudit } from "@/lib/audit/service";
import { auditText } from "@/lib/audit/entry";
import { db, type Db, type Tx } from "@/lib/db/client";
import { env } from "@/lib/env";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
import { hashPassword, verifyPassword } from "./passwords";

/**
 * Console sessions are next-auth JWTs that name a row here (the `sid`
 * claim). The JWT proves the cookie was issued by us; the row says whether
 * it still counts. Signing out revokes the row, so a copy of the cookie
 * stops working everywhere at once, not only in the browser that signed out.
 */
export const USER_AGENT_MAX = 256;

/** Where a sign-in came from, as the sessions page shows it. */
export interface SessionOrigin {
  userAgent?: string | null;
  address?: string | null;
}

/** A User-Agent as kept: client-chosen text, so control characters go and it is cut to USER_AGENT_MAX. */
export function describeUserAgent(value: string | null | undefined): string | null {
  if (!value) return null;
  const clean = auditText(value).trim();
  const chars = Array.from(clean);
  return clean ? (chars.length <= USER_AGENT_MAX ? clean : chars.slice(0, USER_AGENT_MAX - 1).join("") + "…") : null;
}

export async function startSession(userId: string, origin: SessionOrigin = {}, now = new Date()): Promise<string> {
  const id = uuidv7();
  await db().session.create({
    data: {
      id,
      userId,
      createdAt: now,
      lastSeenAt: now,
      userAgent: describeUserAgent(origin.userAgent),
      clientAddress: origin.address && origin.address !== "unknown" ? origin.address.slice(0, 64) : null,
    },
  });
  return id;
}

/** Ends one session, as its own sign-out; recorded when it was still live. */
export async function endSession(sessionId: string, now = new Date()): Promise<void> {
  if (!isUuid(sessionId)) return;
  await db().$transaction(async (tx) => {
    const row = await tx.session.findFirst({ where: { id: sessionId, revokedAt: null }, select: { userId: true } });
    if (!row) return;
    const { count } = await tx.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
    if (count > 0)
      await recordAudit(
        { actorId: row.userId, action: "auth.sign_out", target: { type: "session", id: sessionId }, outcome: "succeeded" },
        tx,
      );
  });
}

/** Sign out everywhere: every session of the user except, optionally, the one asking. Returns how many it ended. */
export async function endSessions(
  userId: string,
  options: { except?: string } = {},
  client: Db | Tx = db(),
  now = new Date(),
): Promise<number> {
  const { count } = await client.session.updateMany({
    where: { userId, revokedAt: null, ...(options.except ? { id: { not: options.except } } : {}) },
    data: { revokedAt: now },
  });
  return count;
}

/**
 * "Sign out everywhere" (the sessions page and POST /v1/auth/sign-out/global):
 * every session of the caller ends, the asking one included, and the trail
 * records how many there were (0 on a second click is fine).
 */
export async function signOutEverywhere(actor: { id: string }, now = new Date()): Promise<number> {
  return db().$transaction(async (tx) => {
    const count = await endSessions(actor.id, {}, tx, now);
    await recordAudit(
      {
        actorId: actor.id,
        action: "auth.sign_out_global",
        target: { type: "user", id: actor.id },
        outcome: "succeeded",
        reason: `user-initiated; sessions_revoked=${count}`,
      },
      tx,
    );
    return count;
  });
}

/** Ends one of the caller's own sessions from the sessions page; someone else's, or an ended one, is "not found". */
export async function endOwnSession(actor: { id: string }, sessionId: string, now = new Date()): Promise<void> {
  const ended = isUuid(sessionId)
    ? await db().$transaction(async (tx) => {
        const { count } = await tx.session.updateMany({
          where: { id: sessionId, userId: actor.id, revokedAt: null },
          data: { revokedAt: now },
        });
        if (count > 0)
          await recordAudit(
            { actorId: actor.id, action: "auth.session_end", target: { type: "session", id: sessionId }, outcome: "succeeded" },
            tx,
          );
        return count > 0;
      })
    : false;
  if (!ended) throw new NotFoundError("session_not_found", "no such session");
}

export interface SessionView {
  id: string;
  userAgent: string | null;
  clientAddress: string | null;
  createdAt: Date;
  lastSeenAt: Date | null;
  current: boolean;
}

/** The caller's live sessions, most recently seen first. */
export async function listSessions(actor: { id: string }, currentSessionId: string | undefined): Promise<SessionView[]> {
  const rows = await db().session.findMany({
    where: { userId: actor.id, revokedAt: null },
    orderBy: [{ lastSeenAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
    select: { id: true, userAgent: true, clientAddress: true, createdAt: true, lastSeenAt: true },
    take: 200,
  });
  return rows.map((r) => ({ ...r, current: r.id === currentSessionId }));
}

/** How often a session's last_seen_at is written: at most once a minute, so requests do not all write. */
export const LAST_SEEN_RESOLUTION_MS = 60_000;

/**
 * The account behind a live session, in one query; last seen is bumped when
 * it is a minute old. A session is live until it is ended, and never longer
 * than the absolute maximum age after sign-in (SESSION_ABSOLUTE_MAX_AGE_HOURS),
 * however often it is used: a stolen cookie that is kept busy dies anyway.
 */
export async function sessionUser(userId: string, sessionId: string, now = new Date(), maxAgeMs = env().sessionAbsoluteMaxAgeMs) {
  // A disabled account has no live session, whatever its rows say: disabling holds at the next request.
  const session = await db().session.findFirst({
    where: { id: sessionId, userId, revokedAt: null, createdAt: { gt: new Date(now.getTime() - maxAgeMs) }, user: { status: "active" } },
    select: { lastSeenAt: true, user: { select: { id: true, email: true, displayName: true } } },
  });
  if (!session) return undefined;
  if (!session.lastSeenAt || now.getTime() - session.lastSeenAt.getTime() >= LAST_SEEN_RESOLUTION_MS) {
    // Conditional, so a burst of requests writes it once between them.
    await db().session.updateMany({
      where: { id: sessionId, OR: [{ lastSeenAt: null }, { lastSeenAt: { lte: new Date(now.getTime() - LAST_SEEN_RESOLUTION_MS) } }] },
      data: { lastSeenAt: now },
    });
  }
  return session.user;
}

/**
 * A new password ends every other session of the account: whoever learnt
 * the old one may be signed in with it. The asking session carries on.
 */
export async function changePassword(
  user: { id: string },
  passwords: { current: string; next: string },
  currentSessionId?: string,
): Promise<void> {
  const row = await db().user.findUnique({ where: { id: user.id }, select: { passwordHash: true } });
  if (!(await verifyPassword(row?.passwordHash, passwords.current))) {
    throw new ValidationError("current_password_wrong", "the current password is wrong", { current: "The current password is wrong." });
  }
  const passwordHash = await hashPassword(passwords.next);
  await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    const count = await endSessions(user.id, { except: currentSessionId }, tx);
    await recordAudit(
      {
        actorId: user.id,
        action: "auth.password_change",
        target: { type: "user", id: user.id },
        outcome: "succeeded",
        reason: `sessions_revoked=${count}`,
      },
      tx,
    );
  });
}
