import "server-only";
import type { Actor } from "@/lib/authz/service";
import { PAGE_SIZE } from "@/lib/lists/keyset";
import { pageFrom, pageLinks, type PageLinks, type SearchParams } from "@/lib/lists/page-params";
import { listProjectsPage, type ProjectView } from "./service";

/** The Projects page: one slug-ordered page, read by the /v1 list's function. */
export async function projectsForPage(actor: Actor, params: SearchParams): Promise<{ items: ProjectView[]; links: PageLinks }> {
  const from = await pageFrom<string>(actor.id, "projects-page", params);
  const page = await listProjectsPage(actor, { limit: PAGE_SIZE, ...from });
  return { items: page.items, links: await pageLinks(actor.id, "projects-page", "/projects", page, {}) };
}
