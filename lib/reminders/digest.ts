/**
 * What a reminder says: the Cloud, and its credentials expiring within the
 * window by name, id, expiry and link. Built from metadata only; nothing
 * here can reach a secret or a payload.
 */
export interface DigestCredential {
  id: string;
  displayName: string;
  expiresAt: Date;
}

export interface Digest {
  cloud: { id: string; displayName: string; slug: string };
  daysAhead: number;
  credentials: DigestCredential[];
  /** Expiring credentials beyond the ones listed. */
  more: number;
  generatedAt: Date;
  baseUrl: string;
}

// A name is typed by people: keep it to one line in a mail header or a plain-text list.
const oneLine = (text: string) => text.replace(/[\r\n\t\u0085\u2028\u2029]+/g, " ").replace(/[\u0000-\u001f\u007f]/g, "");

const total = (d: Digest) => d.credentials.length + d.more;

export function digestSubject(d: Digest): string {
  const n = total(d);
  return `[plexsphere] ${n} credential${n === 1 ? "" : "s"} of ${oneLine(d.cloud.displayName)} expire${n === 1 ? "s" : ""} within ${d.daysAhead} days`;
}

export function digestText(d: Digest): string {
  const lines = [
    `These credentials of the Cloud "${oneLine(d.cloud.displayName)}" (${d.cloud.slug}) expire within ${d.daysAhead} days.`,
    `Renew or rotate them before they expire: ${d.baseUrl}/clouds/${d.cloud.id}`,
    "",
    ...d.credentials.map(
      (c) => `- ${oneLine(c.displayName)} (id ${c.id}) expires ${c.expiresAt.toISOString()}\n  ${d.baseUrl}/credentials/${c.id}`,
    ),
    ...(d.more > 0 ? [`- and ${d.more} more: ${d.baseUrl}/credentials/expiring`] : []),
    "",
    "You receive this because you manage this Cloud. Its managers can change reminders on the Cloud's page.",
  ];
  return lines.join("\n") + "\n";
}

/** The webhook's body (POST, application/json). */
export function digestJson(d: Digest) {
  return {
    type: "credential_expiry_digest",
    generated_at: d.generatedAt.toISOString(),
    days_ahead: d.daysAhead,
    cloud: { id: d.cloud.id, display_name: d.cloud.displayName, slug: d.cloud.slug, url: `${d.baseUrl}/clouds/${d.cloud.id}` },
    credentials: d.credentials.map((c) => ({
      id: c.id,
      display_name: c.displayName,
      expires_at: c.expiresAt.toISOString(),
      url: `${d.baseUrl}/credentials/${c.id}`,
    })),
    more: d.more,
  };
}
