import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { projectCreateRequestSchema } from "@/lib/api/schemas";
import { projectToWire } from "@/lib/api/wire";
import { ConflictError, ValidationError } from "@/lib/errors";
import { authorizeProjectCreate, listProjectsPage } from "@/lib/projects/service";
import { isKnownDomain } from "@/lib/tenancy/domain";
import { isUuid } from "@/lib/validation";

export const POST = route({
  authorize: (caller) => authorizeProjectCreate(caller.user),
  body: projectCreateRequestSchema,
  handle: async ({ permit, body }) => {
    // The contract's answer for a parent Domain that does not exist; we would otherwise file the Project under ours.
    if (!isKnownDomain(body.domain_id)) throw new ConflictError("parent_domain_missing", "There is no Domain with this domain_id.");
    const project = await permit.create({ name: body.name, slug: body.slug });
    return json(projectToWire(project), 201, { location: `/v1/projects/${project.id}` });
  },
});

/** `?domain_id=` scopes the list to one Domain; every Project is in ours, so another Domain's page is empty. */
export const GET = route({
  authorize: signedIn,
  handle: async ({ permit, query }) => {
    const domainId = query.get("domain_id");
    const limit = parseLimit(query.get("limit"));
    const cursor = query.get("cursor");
    if (domainId !== null && !isUuid(domainId))
      throw new ValidationError("invalid_domain_filter", "domain_id must be the UUID of a Domain");
    const after = cursor ? await decodeCursor<string>(permit.id, "projects", cursor) : undefined;
    if (domainId !== null && !isKnownDomain(domainId)) return json({ items: [] });
    const page = await listProjectsPage(permit, { limit, after });
    return json({
      items: page.items.map(projectToWire),
      ...(page.next ? { next_cursor: await encodeCursor(permit.id, "projects", page.next) } : {}),
    });
  },
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
