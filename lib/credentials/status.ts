/** Derived, never stored: revoked beats expired beats active. */
export type CredentialStatus = "active" | "expired" | "revoked";

export function credentialStatus(
  c: { revokedAt: Date | null; expiredAt: Date | null; expiresAt: Date },
  now: Date = new Date(),
): CredentialStatus {
  if (c.revokedAt) return "revoked";
  if (c.expiredAt || c.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}
