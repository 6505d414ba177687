import "server-only";
import { createHash, randomBytes, randomInt } from "node:crypto";
import { v7 as uuidv7 } from "uuid";
import { recordAudit } from "@/lib/audit/service";
import type { Actor } from "@/lib/authz/service";
import { db } from "@/lib/db/client";
import { throttleBucket } from "./client-address";
import { env } from "@/lib/env";
import { ConflictError, DomainError, NotFoundError, ThrottledError, isDomainError } from "@/lib/errors";
import { giveBack, overLimit, rateLimiter, spendOrRefuse, type RateLimit } from "@/lib/rate-limit";
import { deviceTokenName } from "@/lib/tokens/schema";
import { issueToken } from "@/lib/tokens/service";

/**
 * RFC 8628 device authorization, for plexctl: the CLI asks for a pair of
 * codes, a signed-in person approves the short user code in the console,
 * and the CLI's next poll mints an API token bound to that person. Both
 * codes are stored as SHA-256 digests only; the device code is 256 random
 * bits and is never shown to the approver, the user code is 40 bits and
 * lives ten minutes.
 */
export const DEVICE_CODE_TTL_SECONDS = 600;
export const DEVICE_POLL_INTERVAL_SECONDS = 5;
/** RFC 8628 §3.5: every slow_down adds five seconds to the interval the client must keep. */
const SLOW_DOWN_STEP_SECONDS = 5;
/** The minted token is short-lived: a CLI session, not an automation credential. */
export const DEVICE_TOKEN_TTL_SECONDS = 12 * 3_600;

/**
 * Asking for codes needs no sign-in (RFC 8628 §3.1), so each client address
 * may ask this often (rate-limiter-flexible on our database, like sign-in):
 * a person runs `plexctl login` a few times at most, and a flood of codes
 * would only fill the table and the approval page's guess space.
 */
export const DEVICE_CODE_LIMIT = { points: 20, duration: DEVICE_CODE_TTL_SECONDS } as const satisfies RateLimit;

/**
 * User codes that match no login, per signed-in person, whether typed into
 * the approval page or sent to the approve endpoint: a person mistypes a
 * few; forty bits are not to be searched from one account. A code that
 * exists gives its point back, so only the misses count.
 */
export const DEVICE_LOOKUP_LIMIT = { points: 10, duration: DEVICE_CODE_TTL_SECONDS } as const satisfies RateLimit;

/** Who approves: a signed-in person, and the bearer token they approved with, if they used one. */
export interface DeviceApprover extends Actor {
  viaTokenId?: string;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const USER_CODE = /^[A-Z2-7]{4}-?[A-Z2-7]{4}$/;

const digestOf = (code: string) => createHash("sha256").update(code, "utf8").digest("hex");

/** RFC 8628 §3.5 errors of the token poll: always 400, the taxonomy value in `code`. */
export type DevicePollErrorCode = "authorization_pending" | "slow_down" | "access_denied" | "expired_token" | "invalid_grant";

export class DevicePollError extends DomainError {
  constructor(code: DevicePollErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(code, message, 400, {}, extensions);
  }
}

export interface DeviceAuthorization {
  deviceCode: string;
  /** ABCD-EFGH, as the person types it. */
  userCode: string;
  expiresIn: number;
  interval: number;
}

/** The form a user code is compared in: upper case, no dash; undefined when it cannot be one. */
export function normalizeUserCode(input: string): string | undefined {
  const code = input.trim().toUpperCase();
  return USER_CODE.test(code) ? code.replace("-", "") : undefined;
}

export async function startDeviceAuthorization(
  client: { clientId?: string; userAgent?: string; address: string },
  now = new Date(),
): Promise<DeviceAuthorization> {
  const [counted] = await Promise.allSettled([
    rateLimiter("device-code:address", DEVICE_CODE_LIMIT).consume(throttleBucket(client.address)),
  ]);
  const over = overLimit(counted);
  if (over) {
    const seconds = Math.max(1, Math.ceil(over.msBeforeNext / 1000));
    throw new ThrottledError(
      "device_code_throttled",
      `too many device logins started from this address; try again in ${seconds} seconds`,
      seconds,
    );
  }
  const clientLabel = describeClient(client);
  // A user-code digest collision (2^-40 per live pair) only costs one retry.
  for (let attempt = 0; ; attempt++) {
    const deviceCode = randomBytes(32).toString("base64url");
    const userCode = Array.from({ length: 8 }, () => BASE32[randomInt(32)]).join("");
    try {
      await db().deviceCode.create({
        data: {
          id: uuidv7(),
          deviceCodeDigest: digestOf(deviceCode),
          userCodeDigest: digestOf(userCode),
          clientLabel,
          intervalSeconds: DEVICE_POLL_INTERVAL_SECONDS,
          createdAt: now,
          expiresAt: new Date(now.getTime() + DEVICE_CODE_TTL_SECONDS * 1000),
        },
      });
      return {
        deviceCode,
        userCode: `${userCode.slice(0, 4)}-${userCode.slice(4)}`,
        expiresIn: DEVICE_CODE_TTL_SECONDS,
        interval: DEVICE_POLL_INTERVAL_SECONDS,
      };
    } catch (error) {
      if (attempt >= 2 || (error as { code?: string }).code !== "P2002") throw error;
    }
  }
}

/** The client's own words, cut short and stripped of control characters: shown to the approver as a claim. */
function describeClient({ clientId, userAgent }: { clientId?: string; userAgent?: string }): string {
  const clean = (s: string | undefined) =>
    (s ?? "")
      .replace(/[^\x20-\x7e]/g, "")
      .trim()
      .slice(0, 120);
  return [clean(clientId), clean(userAgent)].filter(Boolean).join(" · ") || "an unnamed client";
}

export interface DeviceRequestView {
  clientLabel: string;
  createdAt: Date;
  expiresAt: Date;
  state: "pending" | "approved" | "denied" | "expired";
}

/** What the approval page shows `viewer` about a user code; undefined when there is no such code. */
export async function describeDeviceRequest(viewer: Actor, userCode: string, now = new Date()): Promise<DeviceRequestView | undefined> {
  const row = await lookUpUserCode(viewer, userCode);
  if (!row) return undefined;
  const state =
    row.status === "approved" || row.status === "consumed"
      ? "approved"
      : row.status === "denied"
        ? "denied"
        : row.expiresAt <= now
          ? "expired"
          : "pending";
  return { clientLabel: row.clientLabel, createdAt: row.createdAt, expiresAt: row.expiresAt, state };
}

/** Finds the login a user code names, counting a miss against the person's lookup limit. */
async function lookUpUserCode(actor: Actor, userCode: string) {
  await spendOrRefuse("device-lookup:account", DEVICE_LOOKUP_LIMIT, actor.id, {
    code: "device_lookup_throttled",
    doing: "device codes that match no login",
  });
  const normalized = normalizeUserCode(userCode);
  const row = normalized ? await db().deviceCode.findUnique({ where: { userCodeDigest: digestOf(normalized) } }) : null;
  if (row) await giveBack("device-lookup:account", DEVICE_LOOKUP_LIMIT, actor.id);
  return row;
}

/**
 * The signed-in person says yes: the next poll mints a token acting as them.
 * Approved with a bearer token, the minted token is that token's child: it
 * expires no later and dies with it (lib/tokens/lineage.ts).
 */
export async function approveDevice(actor: DeviceApprover, userCode: string, now = new Date()): Promise<void> {
  await decide(actor, userCode, "approved", now);
}

/** The person says no: the next poll answers access_denied, for good. */
export async function denyDevice(actor: Actor, userCode: string, now = new Date()): Promise<void> {
  await decide(actor, userCode, "denied", now);
}

async function decide(actor: DeviceApprover, userCode: string, status: "approved" | "denied", now: Date): Promise<void> {
  const row = await lookUpUserCode(actor, userCode);
  if (!row) throw new NotFoundError("device_code_not_found", "no device login waits for this code");
  const refuse = () => {
    if (row.status === "approved" || row.status === "consumed")
      return new ConflictError("device_code_already_approved", "this device login was already approved");
    if (row.status === "denied") return new ConflictError("device_code_denied", "this device login was already denied");
    return new ConflictError("device_code_expired", "this device login has expired; start it again");
  };
  if (row.status !== "pending" || row.expiresAt <= now) throw refuse();
  // Conditional on still pending, so two approvals racing cannot both win.
  const { count } = await db().deviceCode.updateMany({
    where: { id: row.id, status: "pending", expiresAt: { gt: now } },
    data: { status, userId: actor.id, decidedAt: now, approvedWithTokenId: status === "approved" ? (actor.viaTokenId ?? null) : null },
  });
  if (count === 0) throw new ConflictError("device_code_already_approved", "this device login was already decided");
  await recordAudit({
    actorId: actor.id,
    action: status === "approved" ? "device.approve" : "device.deny",
    target: { type: "device_code", id: row.id },
    outcome: "succeeded",
  });
}

export interface DeviceToken {
  accessToken: string;
  expiresIn: number;
}

/** One poll of the CLI (RFC 8628 §3.4/3.5). Throws DevicePollError for everything but the token. */
export async function pollDeviceToken(deviceCode: string, now = new Date()): Promise<DeviceToken> {
  const row = await db().deviceCode.findUnique({ where: { deviceCodeDigest: digestOf(deviceCode) } });
  if (!row || row.status === "consumed") throw new DevicePollError("invalid_grant", "unknown or already exchanged device_code");
  if (row.expiresAt <= now) throw new DevicePollError("expired_token", "the device_code has expired; start the login again");
  if (row.lastPolledAt && now.getTime() - row.lastPolledAt.getTime() < row.intervalSeconds * 1000) {
    const interval = row.intervalSeconds + SLOW_DOWN_STEP_SECONDS;
    await db().deviceCode.update({ where: { id: row.id }, data: { intervalSeconds: interval, lastPolledAt: now } });
    throw new DevicePollError("slow_down", `poll at most every ${interval} seconds`, { interval });
  }
  await db().deviceCode.update({ where: { id: row.id }, data: { lastPolledAt: now } });
  if (row.status === "denied") throw new DevicePollError("access_denied", "the login was denied in the console");
  if (row.status !== "approved" || !row.userId)
    throw new DevicePollError("authorization_pending", "waiting for someone to approve the code in the console");

  // Claim before minting, so two concurrent polls cannot both get a token. If minting then
  // fails the code is spent and the CLI starts over, which beats a second live token.
  const { count } = await db().deviceCode.updateMany({ where: { id: row.id, status: "approved" }, data: { status: "consumed" } });
  if (count === 0) throw new DevicePollError("invalid_grant", "unknown or already exchanged device_code");
  const token = await issueToken(
    { id: row.userId },
    {
      name: deviceTokenName(row.clientLabel),
      envPrefix: env().mode === "production" ? "prod" : "dev",
      ttlSeconds: DEVICE_TOKEN_TTL_SECONDS,
      parentTokenId: row.approvedWithTokenId ?? undefined,
    },
    now,
  ).catch((error: unknown) => {
    if (isDomainError(error) && error.code === "unauthenticated")
      throw new DevicePollError("access_denied", "the token that approved this login has been revoked or has expired");
    throw error;
  });
  await db().deviceCode.update({ where: { id: row.id }, data: { tokenId: token.id } });
  await recordAudit({ actorId: row.userId, action: "device.token", target: { type: "api_token", id: token.id }, outcome: "succeeded" });
  return { accessToken: token.plaintext, expiresIn: Math.round((token.expiresAt.getTime() - now.getTime()) / 1000) };
}
