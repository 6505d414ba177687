import "server-only";
import type { Actor } from "@/lib/authz/service";
import { PAGE_SIZE } from "@/lib/lists/keyset";
import { pageFrom, pageLinks, type PageLinks, type SearchParams } from "@/lib/lists/page-params";
import { listTokensPage, type TokenCursor, type TokenSummary } from "./service";

/** The tokens page: one page of the user's live tokens, newest first. */
export async function tokensForPage(actor: Actor, params: SearchParams): Promise<{ items: TokenSummary[]; links: PageLinks }> {
  const from = await pageFrom<TokenCursor>(actor.id, "tokens-page", params);
  const page = await listTokensPage(actor, { limit: PAGE_SIZE, ...from });
  return { items: page.items, links: await pageLinks(actor.id, "tokens-page", "/settings/tokens", page, {}) };
}
