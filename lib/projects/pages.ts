import "server-only";
import type { Actor } from "@/lib/authz/service";
import { PAGE_SIZE } from "@/lib/lists/keyset";
import { pageFrom, pageLinks, type PageLinks, type SearchParams } from "@/lib/lists/page-params";
import { listProjectMembersPage, type MemberCursor, type ProjectMember } from "./members";
import { listProjectsPage, type ProjectView } from "./service";

/** The Projects page: one slug-ordered page, read by the /v1 list's function. */
export async function projectsForPage(actor: Actor, params: SearchParams): Promise<{ items: ProjectView[]; links: PageLinks }> {
  const from = await pageFrom<string>(actor.id, "projects-page", params);
  const page = await listProjectsPage(actor, { limit: PAGE_SIZE, ...from });
  return { items: page.items, links: await pageLinks(actor.id, "projects-page", "/projects", page, {}) };
}

/** A Project page's Members card: one page in grant order, read by the function GET /v1/authz/relation-tuples uses. */
export async function membersForPage(
  actor: Actor,
  projectId: string,
  params: SearchParams,
): Promise<{ items: ProjectMember[]; links: PageLinks }> {
  const list = `project-members:${projectId}`;
  const from = await pageFrom<MemberCursor>(actor.id, list, params);
  const page = await listProjectMembersPage(actor, { projectId, limit: PAGE_SIZE, ...from });
  return { items: page.items, links: await pageLinks(actor.id, list, `/projects/${projectId}`, page, {}) };
}
