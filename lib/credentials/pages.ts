import "server-only";
import type { Actor } from "@/lib/authz/service";
import { visibleObjects } from "@/lib/authz/service";
import { db } from "@/lib/db/client";
import { finishPage, PAGE_SIZE } from "@/lib/lists/keyset";
import { pageFrom, pageLinks, textParam, type PageLinks, type SearchParams } from "@/lib/lists/page-params";
import { CREDENTIAL_STATUS_FILTERS, expiringSql, type CredentialCursor, type CredentialStatusFilter, type ExpiryCursor } from "./list";
import { toView, type CredentialRow } from "./row";
import { listCloudCredentials } from "./read";
import { type CredentialView } from "./row";

/**
 * What the console's credential lists show: one page of at most PAGE_SIZE
 * rows, read by the same service functions as the /v1 API, with the page's
 * links. Pages call these and render; nothing here holds more than a page.
 */
export interface CloudCredentialsPage {
  items: CredentialView[];
  links: PageLinks;
  status: CredentialStatusFilter;
  search: string;
}

export async function cloudCredentialsForPage(actor: Actor, cloudId: string, params: SearchParams): Promise<CloudCredentialsPage> {
  const requested = textParam(params.status);
  const status = (CREDENTIAL_STATUS_FILTERS as readonly string[]).includes(requested ?? "") ? (requested as CredentialStatusFilter) : "all";
  const search = (textParam(params.q) ?? "").slice(0, 100);
  const list = `cloud-page:${cloudId}`;
  const from = await pageFrom<CredentialCursor>(actor.id, list, params);
  const page = await listCloudCredentials(actor, cloudId, { limit: PAGE_SIZE, order: "desc", status, search, ...from });
  const links = await pageLinks(actor.id, list, `/clouds/${cloudId}`, page, {
    status: status === "all" ? undefined : status,
    q: search || undefined,
  });
  return { items: page.items, links, status, search };
}

/** `mayManage`: the actor may manage the credential's Cloud, so the page offers Renew and Rotate. */
export type ExpiringCredential = CredentialView & { cloudSlug: string; mayManage: boolean };

/** Live credentials expiring within `days` on every Cloud the actor observes, soonest first; one page, one statement for its rows. */
export async function listExpiringSoonPage(
  actor: Actor,
  options: { days: number; limit: number; after?: ExpiryCursor; before?: ExpiryCursor; now?: Date },
): Promise<{ items: ExpiringCredential[]; next?: ExpiryCursor; prev?: ExpiryCursor }> {
  const visible = await visibleObjects(actor, "observe", "cloud");
  const now = options.now ?? new Date();
  const { sql, backwards } = expiringSql({
    viewer: actor,
    clouds: visible,
    now,
    until: new Date(now.getTime() + options.days * 86_400_000),
    limit: options.limit,
    after: options.after,
    before: options.before,
  });
  const rows = await db().$queryRaw<(CredentialRow & { cloudSlug: string; mayManage: boolean })[]>(sql);
  return finishPage(
    rows,
    options.limit,
    backwards,
    Boolean(options.after ?? options.before),
    (row) => ({ ...toView(row, now), cloudSlug: row.cloudSlug, mayManage: row.mayManage }),
    (c) => ({ expiresAt: c.expiresAt.toISOString(), id: c.id }),
  );
}

export async function expiringForPage(
  actor: Actor,
  days: number,
  params: SearchParams,
  now = new Date(),
): Promise<{ items: ExpiringCredential[]; links: PageLinks }> {
  const list = "expiring-page";
  const from = await pageFrom<ExpiryCursor>(actor.id, list, params);
  const page = await listExpiringSoonPage(actor, { days, limit: PAGE_SIZE, now, ...from });
  return { items: page.items, links: await pageLinks(actor.id, list, "/credentials/expiring", page, {}) };
}
