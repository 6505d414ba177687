import { readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { projectCreateRequestSchema } from "@/lib/api/schemas";
import { projectToWire } from "@/lib/api/wire";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { ConflictError, ValidationError } from "@/lib/errors";
import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { createProject, listProjectsPage } from "@/lib/projects/service";
import { isKnownDomain } from "@/lib/tenancy/domain";
import { isUuid } from "@/lib/validation";

export const POST = apiRoute(async ({ request, caller }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  const body = await readBody(request, projectCreateRequestSchema);
  // The contract's answer for a parent Domain that does not exist; we would otherwise file the Project under ours.
  if (!isKnownDomain(body.domain_id)) throw new ConflictError("parent_domain_missing", "There is no Domain with this domain_id.");
  const project = await createProject(caller.user, { name: body.name, slug: body.slug });
  return json(projectToWire(project), 201, { location: `/v1/projects/${project.id}` });
});

/** `?domain_id=` scopes the list to one Domain; every Project is in ours, so another Domain's page is empty. */
export const GET = apiRoute(async ({ request, caller }) => {
  const query = new URL(request.url).searchParams;
  const domainId = query.get("domain_id");
  const limit = parseLimit(query.get("limit"));
  const cursor = query.get("cursor");
  if (domainId !== null && !isUuid(domainId)) throw new ValidationError("invalid_domain_filter", "domain_id must be the UUID of a Domain");
  const after = cursor ? await decodeCursor<string>(caller.user.id, "projects", cursor) : undefined;
  if (domainId !== null && !isKnownDomain(domainId)) return json({ items: [] });
  const page = await listProjectsPage(caller.user, { limit, after });
  return json({
    items: page.items.map(projectToWire),
    ...(page.next ? { next_cursor: await encodeCursor(caller.user.id, "projects", page.next) } : {}),
  });
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
