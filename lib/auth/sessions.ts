import "server-only";
import { v7 as uuidv7 } from "uuid";
import { db, type Db, type Tx } from "@/lib/db/client";
import { ValidationError } from "@/lib/errors";
import { hashPassword, verifyPassword } from "./passwords";

/**
 * Console sessions are next-auth JWTs that name a row here (the `sid`
 * claim). The JWT proves the cookie was issued by us; the row says whether
 * it still counts. Signing out revokes the row, so a copy of the cookie
 * stops working everywhere at once, not only in the browser that signed out.
 */
export async function startSession(userId: string, now = new Date()): Promise<string> {
  const id = uuidv7();
  await db().session.create({ data: { id, userId, createdAt: now } });
  return id;
}

export async function endSession(sessionId: string, now = new Date()): Promise<void> {
  await db().session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now } });
}

/** Sign out everywhere: every session of the user except, optionally, the one asking. */
export async function endSessions(userId: string, options: { except?: string } = {}, client: Db | Tx = db(), now = new Date()): Promise<void> {
  await client.session.updateMany({
    where: { userId, revokedAt: null, ...(options.except ? { id: { not: options.except } } : {}) },
    data: { revokedAt: now },
  });
}

/**
 * The account behind a live session, in one query (the session row is a
 * condition of the user lookup). A disabled account has no live session,
 * whatever its rows say: disabling holds at the next request.
 */
export async function sessionUser(userId: string, sessionId: string) {
  const user = await db().user.findFirst({
    where: { id: userId, status: "active", sessions: { some: { id: sessionId, revokedAt: null } } },
    select: { id: true, email: true, displayName: true },
  });
  return user ?? undefined;
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
  };
  const passwordHash = await hashPassword(passwords.next);
  await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash } });
    await endSessions(user.id, { except: currentSessionId }, tx);
  });
}
