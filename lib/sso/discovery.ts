import "server-only";
import { z } from "zod";
import type { IdpBinding } from "@/lib/db/generated/client";
import { db } from "@/lib/db/client";
import { ValidationError } from "@/lib/errors";
import { log } from "@/lib/log";

/**
 * An identity provider's OpenID Connect discovery document, fetched when an
 * administrator saves its binding and again by the periodic refresh
 * (lib/boot.ts), and kept in the binding's row. Starting a sign-in is
 * unauthenticated, so it reads this cache and never makes the server fetch
 * anything: nobody can make the console call out by pressing a button.
 *
 * Identity providers may be on private addresses (an internal Keycloak is
 * common), so the outbound-address policy of webhooks does not apply here;
 * only an administrator chooses these URLs.
 */
const DISCOVERY_TIMEOUT_MS = 10_000;
const DISCOVERY_MAX_BYTES = 256 * 1024;

const endpoint = z.string().refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol));

/** The fields sign-in uses; anything else the IdP publishes is not kept. */
export const discoveryDocumentSchema = z.object({
  issuer: endpoint,
  authorization_endpoint: endpoint,
  token_endpoint: endpoint,
  jwks_uri: endpoint,
  userinfo_endpoint: endpoint.optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
});
export type DiscoveryDocument = z.infer<typeof discoveryDocumentSchema>;

/** Why a document could not be used, in words safe to show an administrator (never a secret, never the IdP's own text). */
export class DiscoveryFailedError extends ValidationError {
  constructor(readonly problem: string) {
    super("discovery_failed", `The identity provider's discovery document could not be used: ${problem}.`, {
      discovery_url: `Discovery failed: ${problem}.`,
    });
  }
}

const sameIssuer = (a: string, b: string) => a.replace(/\/+$/, "") === b.replace(/\/+$/, "");

/** Fetches and checks the document at `discoveryUrl`; its issuer must be the binding's (OpenID Connect Discovery 1.0, 4.3). */
export async function fetchDiscovery(discoveryUrl: string, issuer: string, fetcher: typeof fetch = fetch): Promise<DiscoveryDocument> {
  let response: Response;
  try {
    response = await fetcher(discoveryUrl, {
      headers: { accept: "application/json" },
      redirect: "error",
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
    });
  } catch {
    throw new DiscoveryFailedError("the discovery URL did not answer");
  }
  if (!response.ok) throw new DiscoveryFailedError(`the discovery URL answered HTTP ${response.status}`);
  const text = await response.text().catch(() => "");
  if (text.length > DISCOVERY_MAX_BYTES) throw new DiscoveryFailedError("the document is too large");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new DiscoveryFailedError("the answer is not JSON");
  }
  const parsed = discoveryDocumentSchema.safeParse(raw);
  if (!parsed.success) throw new DiscoveryFailedError(`the document lacks a valid ${String(parsed.error.issues[0]?.path[0] ?? "field")}`);
  if (!sameIssuer(parsed.data.issuer, issuer)) throw new DiscoveryFailedError("the document names a different issuer");
  return parsed.data;
}

/** The cached document, or null when there is none this code can read (the binding is then not offered for sign-in). */
export function cachedDiscovery(binding: Pick<IdpBinding, "discovery">): DiscoveryDocument | null {
  const parsed = discoveryDocumentSchema.safeParse(binding.discovery);
  return parsed.success ? parsed.data : null;
}

export interface DiscoveryRefreshReport {
  refreshed: number;
  failed: number;
}

/**
 * Re-fetches every binding's document. A failure keeps the last good copy
 * (an IdP briefly down does not stop sign-in) and is logged by alias. Each
 * row is written only if it was not edited meanwhile, so a concurrent
 * edit (which fetches for itself) wins; instances running this side by side write the same
 * document, which is harmless.
 */
export async function refreshDiscoveries(fetcher: typeof fetch = fetch): Promise<DiscoveryRefreshReport> {
  const bindings = await db().idpBinding.findMany({ select: { id: true, alias: true, issuer: true, discoveryUrl: true, updatedAt: true } });
  const report: DiscoveryRefreshReport = { refreshed: 0, failed: 0 };
  for (const binding of bindings) {
    try {
      const document = await fetchDiscovery(binding.discoveryUrl, binding.issuer, fetcher);
      // updated_at is kept: it is the edit's compare-and-swap token (idp-bindings.ts), and a refresh is not an edit.
      await db().idpBinding.updateMany({
        where: { id: binding.id, discoveryUrl: binding.discoveryUrl, updatedAt: binding.updatedAt },
        data: { discovery: document, discoveredAt: new Date(), updatedAt: binding.updatedAt },
      });
      report.refreshed += 1;
    } catch (error) {
      report.failed += 1;
      log.warn("idp_binding.discovery_failed", {
        alias: binding.alias,
        problem: error instanceof DiscoveryFailedError ? error.problem : error instanceof Error ? error.name : "unknown",
      });
    }
  }
  return report;
}
