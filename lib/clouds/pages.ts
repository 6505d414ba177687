import "server-only";
import type { Actor } from "@/lib/authz/service";
import { PAGE_SIZE } from "@/lib/lists/keyset";
import { pageFrom, pageLinks, textParam, type PageLinks, type SearchParams } from "@/lib/lists/page-params";
import { CREDENTIAL_COUNT_CAP, listCloudsPage, type CloudListItem } from "./service";

/** The Clouds page: one page of Clouds with capped credential counts, read by the /v1 list's function. */
export async function cloudsForPage(
  actor: Actor,
  params: SearchParams,
): Promise<{ items: CloudListItem[]; links: PageLinks; filter: string }> {
  const filter = (textParam(params.q) ?? "").slice(0, 100);
  const from = await pageFrom<string>(actor.id, "clouds-page", params);
  const page = await listCloudsPage(actor, { limit: PAGE_SIZE, filter, withCounts: true, ...from });
  return { items: page.items, links: await pageLinks(actor.id, "clouds-page", "/clouds", page, { q: filter || undefined }), filter };
}

const countFormat = new Intl.NumberFormat("en-GB");

/** "1,234" or, past the cap, "1,000+". */
export function formatCredentialCount(count: number): string {
  return count > CREDENTIAL_COUNT_CAP ? `${countFormat.format(CREDENTIAL_COUNT_CAP)}+` : countFormat.format(count);
}
