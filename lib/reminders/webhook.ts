import "server-only";
import { createHmac } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { env } from "@/lib/env";
import { ValidationError } from "@/lib/errors";
import {
  AddressRefusedError,
  checkOutboundUrl,
  parseOutboundUrl,
  resolvePublicAddress,
  type ResolvedAddress,
  type Resolver,
} from "@/lib/http/public-address";
import { secretStore, type SecretStore } from "@/lib/vault";
import { digestJson, type Digest } from "./digest";

/**
 * A Cloud's reminder webhook: where its managers ask the console to POST the
 * daily digest. The console makes that request from inside the network it
 * runs in, so the URL may not name (or resolve to) an internal address —
 * loopback, private, link-local, unique-local, CGNAT, unspecified, a cloud's
 * metadata service (lib/http/public-address.ts) — neither when it is saved
 * nor when a digest is delivered, and delivery connects to the address it
 * checked. WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true lifts the refusal for a
 * console whose receivers are meant to be internal (and for the test
 * servers, whose receivers listen on loopback).
 */
export const SIGNATURE_HEADER = "x-plexsphere-signature";

/** Where a Cloud's webhook signing secret lives in the SecretStore (apart from the credential tree the reconciler sweeps). */
export function webhookSecretPath(cloudId: string): string {
  return `plexsphere/reminder-webhooks/${cloudId}`;
}
const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookOptions {
  /** Defaults to WEBHOOK_ALLOW_PRIVATE_ADDRESSES. */
  allowPrivateAddresses?: boolean;
  /** Test seam: how host names resolve (defaults to the system resolver). */
  resolve?: Resolver;
}

const allowPrivate = (options: WebhookOptions) => options.allowPrivateAddresses ?? env().webhookAllowPrivateAddresses;

/** The save-time check (updateReminderSettings): 400 with a field message for a URL that is not http(s), or is or resolves to an internal address. */
export async function checkWebhookUrl(url: string, options: WebhookOptions = {}): Promise<void> {
  try {
    await checkOutboundUrl(url, { allowPrivate: allowPrivate(options), resolve: options.resolve });
  } catch (error) {
    if (!(error instanceof AddressRefusedError)) throw error;
    if (error.code === "URL_INVALID") {
      throw new ValidationError("invalid_webhook_url", "The webhook URL is not an http:// or https:// URL without credentials.", {
        webhook_url: "Enter an http:// or https:// URL.",
      });
    }
    if (error.code === "HOST_UNRESOLVABLE") {
      throw new ValidationError("webhook_url_unresolvable", "The webhook's host name does not resolve.", {
        webhook_url: "This host name does not resolve; check the URL.",
      });
    }
    throw new ValidationError("webhook_url_not_public", "The webhook URL points at an internal address.", {
      webhook_url: "Enter a URL on the public internet: loopback, private, link-local and metadata addresses are refused.",
    });
  }
}

export class WebhookRefusedError extends Error {
  override name = "WebhookRefusedError";
  constructor(readonly status: number) {
    super(`webhook answered ${status}`);
  }
}

/** The delivery-time refusal, by a code the audit trail records (the address itself is never written down). */
export class WebhookAddressError extends Error {
  override name = "WebhookAddressError";
  constructor(readonly code: "WEBHOOK_ADDRESS_NOT_PUBLIC" | "WEBHOOK_HOST_UNRESOLVABLE" | "WEBHOOK_URL_INVALID") {
    super(code);
  }
}

/** A lookup that answers `pinned` whatever it is asked: the connection goes where the check looked. */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
}

/**
 * POSTs the digest; with a signing secret, `x-plexsphere-signature:
 * sha256=<hex HMAC of the body>`. The host is resolved and checked once, and
 * the connection made to that address (TLS still verifies the certificate
 * against the host name). Redirects are not followed; the answer's body is
 * not read.
 */
export async function postWebhook(
  url: string,
  digest: Digest,
  signed: boolean,
  options: WebhookOptions & { store?: SecretStore } = {},
): Promise<void> {
  let target: URL;
  let pinned: ResolvedAddress;
  try {
    target = parseOutboundUrl(url);
    pinned = await resolvePublicAddress(target.hostname, { allowPrivate: allowPrivate(options), resolve: options.resolve });
  } catch (error) {
    if (!(error instanceof AddressRefusedError)) throw error;
    throw new WebhookAddressError(`WEBHOOK_${error.code}`);
  }
  const body = JSON.stringify(digestJson(digest));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    "user-agent": "plexsphere-reminders",
  };
  if (signed) {
    const secret = await (options.store ?? (await secretStore())).read(webhookSecretPath(digest.cloud.id));
    if (!secret) throw new Error("signing secret missing");
    headers[SIGNATURE_HEADER] = `sha256=${createHmac("sha256", Buffer.from(secret.payload)).update(body).digest("hex")}`;
  }
  const status = await new Promise<number>((resolve, reject) => {
    const request = (target.protocol === "https:" ? https : http).request(
      target,
      { method: "POST", headers, lookup: pinnedLookup(pinned), signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) },
      (response) => {
        resolve(response.statusCode ?? 0);
        response.destroy();
      },
    );
    request.on("error", reject);
    request.end(body);
  });
  if (status < 200 || status >= 300) throw new WebhookRefusedError(status);
}
