import { randomUUID } from "node:crypto";
import { lookupResourcesRequestSchema } from "@/lib/api/identity-schemas";
import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { lookupResourceRefs, mayLookUpFor } from "@/lib/authz/lookup";
import { parsePermission, parseResourceType, parseSubject } from "@/lib/authz/lookup-request";

/**
 * "Which Clouds can this person manage?" Anyone may ask about themselves;
 * about another user or a group only a platform admin gets the answer, and
 * anyone else an empty list (the contract has no 403 here).
 */
export const POST = route({
  authorize: signedIn,
  body: lookupResourcesRequestSchema,
  handle: async ({ permit, body }) => {
    const subject = parseSubject(body.subject);
    const type = parseResourceType(body.resource_type);
    const permission = parsePermission(type, body.relation);
    const items = (await mayLookUpFor(permit, subject)) ? await lookupResourceRefs(subject, permission, type) : [];
    return json({ items, correlation_id: randomUUID() });
  },
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
