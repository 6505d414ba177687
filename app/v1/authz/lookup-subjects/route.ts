import { randomUUID } from "node:crypto";
import { lookupSubjectsRequestSchema } from "@/lib/api/identity-schemas";
import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { lookupSubjectRefs } from "@/lib/authz/lookup";
import { parsePermission, parseResource, parseSubjectType } from "@/lib/authz/lookup-request";
import { check } from "@/lib/authz/service";

/**
 * "Who can manage this Cloud?", groups expanded into their members when
 * subject_type is user. Only someone who observes the resource learns who
 * else can reach it; anyone else gets an empty list, never a 403.
 */
export const POST = route({
  authorize: signedIn,
  body: lookupSubjectsRequestSchema,
  handle: async ({ permit, body }) => {
    const subjectType = parseSubjectType(body.subject_type);
    const resource = parseResource(body.resource);
    const permission = parsePermission(resource.type, body.relation);
    const visible =
      resource.type === "platform"
        ? await check(permit, "manage", { platform: resource.id })
        : await check(permit, "observe", { [resource.type]: resource.id } as { cloud: string });
    const items = visible ? await lookupSubjectRefs(resource, permission, subjectType) : [];
    return json({ items, correlation_id: randomUUID() });
  },
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
