import "server-only";
import { randomBytes } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import { recordAudit } from "@/lib/audit/service";
import { throttleBucket } from "@/lib/auth/client-address";
import { hashPassword } from "@/lib/auth/passwords";
import { endSessions } from "@/lib/auth/sessions";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { grant } from "@/lib/authz/service";
import { db, uniqueViolation } from "@/lib/db/client";
import { ConflictError, DomainError, ValidationError } from "@/lib/errors";
import { giveBack, spendOrRefuse, type RateLimit } from "@/lib/rate-limit";
import { PASSWORD_SETUP_TTL_SECONDS, accountEmailSchema, personNameSchema, setPasswordSchema } from "./invitation-rules";
import { digestOf } from "./invitations";

/**
 * The first administrator, from the command line (scripts/admin.ts): a
 * local account with no password yet, and a one-time link that sets it.
 * Only the link token's SHA-256 digest is stored; the link expires and
 * works once.
 */
export async function createLocalUser(input: {
  email: string;
  displayName?: string;
  platformAdmin?: boolean;
}): Promise<{ userId: string; token: string }> {
  const checkedEmail = accountEmailSchema.safeParse(input.email);
  if (!checkedEmail.success) throw new ValidationError("invalid_email", "--email must be an email address of printable characters");
  const email = checkedEmail.data;
  const checkedName = input.displayName?.trim()
    ? personNameSchema.safeParse(input.displayName)
    : personNameSchema.safeParse(email.split("@")[0]);
  if (!checkedName.success) throw new ValidationError("invalid_display_name", "--name must be 1 to 256 printable characters");
  const userId = uuidv7();
  try {
    await db().$transaction(async (tx) => {
      await tx.user.create({ data: { id: userId, email, displayName: checkedName.data, passwordHash: null } });
      if (input.platformAdmin) await grant(tx, { type: "platform", id: PLATFORM_ID }, "manage", userId);
      await recordAudit(
        {
          actorId: null,
          action: "user.create",
          target: { type: "user", id: userId },
          outcome: "succeeded",
          reason: `admin command${input.platformAdmin ? ", platform admin" : ""}`,
        },
        tx,
      );
    });
  } catch (error) {
    if (uniqueViolation(error) === "users_email_key")
      throw new ConflictError("identity_already_exists", `an account with the email ${email} already exists`);
    throw error;
  }
  return { userId, token: await issuePasswordSetupToken(userId) };
}

export async function issuePasswordSetupToken(userId: string, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db().passwordSetupToken.create({
    data: {
      id: uuidv7(),
      userId,
      tokenDigest: digestOf(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + PASSWORD_SETUP_TTL_SECONDS * 1000),
    },
  });
  return token;
}

/** The email a link is for, while it is usable. */
export async function passwordSetupFor(token: string, now = new Date()): Promise<{ email: string } | undefined> {
  if (!token || token.length > 128) return undefined;
  const row = await db().passwordSetupToken.findUnique({
    where: { tokenDigest: digestOf(token) },
    select: { usedAt: true, expiresAt: true, user: { select: { email: true, status: true } } },
  });
  if (!row || row.usedAt || row.expiresAt <= now || row.user.status !== "active") return undefined;
  return { email: row.user.email };
}

/**
 * Links that match nothing usable, per client address (an IPv6 client by its
 * /64): a person clicks a stale link a few times; a script trying tokens is
 * refused long before it could matter. A usable link gives its point back.
 */
export const PASSWORD_SETUP_LIMIT = { points: 10, duration: 15 * 60 } as const satisfies RateLimit;

/**
 * Sets the password through a link, once; other sessions of the account end.
 * Anyone can call this, so the link is looked up first: only a usable one
 * gets its password hashed, in the hashing lane sign-in uses.
 */
export async function setPasswordWithToken(
  token: string,
  input: { password: unknown },
  client: { address: string } = { address: "unknown" },
  now = new Date(),
): Promise<{ email: string }> {
  const parsed = setPasswordSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError("invalid_password", parsed.error.issues[0]?.message ?? "invalid", {
      password: parsed.error.issues[0]?.message ?? "invalid",
    });
  const unusable = new DomainError("password_link_unusable", "This link has expired or has been used already.", 410);
  const bucket = throttleBucket(client.address);
  await spendOrRefuse("password-setup:address", PASSWORD_SETUP_LIMIT, bucket, {
    code: "password_setup_throttled",
    doing: "password links that match nothing",
  });
  if (!(await passwordSetupFor(token, now))) throw unusable;
  await giveBack("password-setup:address", PASSWORD_SETUP_LIMIT, bucket);
  const passwordHash = await hashPassword(parsed.data.password);
  return db().$transaction(async (tx) => {
    const { count } = await tx.passwordSetupToken.updateMany({
      where: { tokenDigest: digestOf(token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count === 0) throw unusable;
    const row = await tx.passwordSetupToken.findUniqueOrThrow({
      where: { tokenDigest: digestOf(token) },
      select: { userId: true, user: { select: { email: true } } },
    });
    await tx.user.update({ where: { id: row.userId }, data: { passwordHash } });
    await endSessions(row.userId, {}, tx);
    await recordAudit(
      {
        actorId: row.userId,
        action: "user.password_set",
        target: { type: "user", id: row.userId },
        outcome: "succeeded",
        reason: "one-time link",
      },
      tx,
    );
    return { email: row.user.email };
  });
}
