import "server-only";
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { DomainError } from "@/lib/errors";
import { authSecret } from "@/lib/auth/options";

/**
 * Opaque keyset cursors: base64url(JSON { p: position, c: caller, s: list,
 * t: minted at }) "." HMAC-SHA256, keyed by HKDF from the auth secret. A
 * cursor whose signature fails, that belongs to another list, or that is
 * older than a day is 400 invalid_cursor; a valid one minted for another
 * caller is 403 cursor_binding_mismatch.
 */
const CURSOR_LIFETIME_MS = 24 * 3_600_000;
async function cursorKey(): Promise<Buffer> {
  return Buffer.from(hkdfSync("sha256", await authSecret(), "", "plexsphere list cursor v1", 32));
}

export async function encodeCursor(callerId: string, list: string, position: unknown, now = Date.now()): Promise<string> {
  const body = Buffer.from(JSON.stringify({ p: position, c: callerId, s: list, t: now })).toString("base64url");
  const mac = createHmac("sha256", await cursorKey())
    .update(body)
    .digest("base64url");
  return `${body}.${mac}`;
}

export async function decodeCursor<T>(callerId: string, list: string, cursor: string, now = Date.now()): Promise<T> {
  const [body, mac, extra] = cursor.split(".");
  const invalid = new DomainError("invalid_cursor", "the cursor is malformed or was tampered with", 400);
  if (!body || !mac || extra !== undefined) throw invalid;
  const expected = createHmac("sha256", await cursorKey())
    .update(body)
    .digest();
  const given = Buffer.from(mac, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
  let decoded: { p: T; c: string; s: string; t: number };
  try {
    decoded = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    throw invalid;
  }
  if (decoded.s !== list || !(now - decoded.t >= 0 && now - decoded.t < CURSOR_LIFETIME_MS)) throw invalid;
  if (decoded.c !== callerId) {
    throw new DomainError("cursor_binding_mismatch", "the cursor was issued to another caller", 403);
  }
  return decoded.p;
}

export function parseLimit(value: string | null, fallback = 50): number {
  if (value === null) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 200) {
    throw new DomainError("invalid_limit", "limit must be an integer from 1 to 200", 400);
  }
  return n;
}
