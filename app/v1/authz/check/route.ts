import { randomUUID } from "node:crypto";
import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { rebacCheckRequestSchema } from "@/lib/api/schemas";
import { PLATFORM_ID, permissionSchema, type ObjectType, type Resource } from "@/lib/authz/schema";
import { check } from "@/lib/authz/service";
import { ValidationError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";

const invalid = (detail: string) => new ValidationError("invalid_check_request", detail);

/**
 * "May subject do relation on resource?" As the contract has it, any
 * signed-in caller may ask about any subject, and the answer is data: a
 * denial is `200 {decision: denied}`, never a 403.
 */
export const POST = route({
  authorize: signedIn,
  body: rebacCheckRequestSchema,
  handle: async ({ body }) => {
    const [subjectType, subjectId, ...subjectRest] = body.subject.split(":");
    if (subjectType !== "user" || subjectRest.length > 0 || !isUuid(subjectId)) throw invalid("subject must be user:<uuid>");
    const [type, id, ...resourceRest] = body.resource.split(":");
    // Own properties only: "constructor" or "__proto__" must not pass for a type or relation.
    const known =
      resourceRest.length === 0 && Object.hasOwn(permissionSchema, type) && (type === "platform" ? id === PLATFORM_ID : isUuid(id));
    if (!known) throw invalid("resource must be project:<uuid>, cloud:<uuid> or platform:plexsphere");
    const permissions = permissionSchema[type as ObjectType].permissions;
    if (!Object.hasOwn(permissions, body.relation))
      throw invalid(`relation on ${type} must be one of: ${Object.keys(permissions).join(", ")}`);
    const resource = { [type]: type === "platform" ? id : id.toLowerCase() } as Resource;
    const allowed = await check({ id: subjectId.toLowerCase() }, body.relation as never, resource);
    const correlationId = randomUUID();
    return json(
      allowed
        ? { decision: "allowed", relation_path: [`${body.resource}#${body.relation}`], correlation_id: correlationId }
        : { decision: "denied", reason: "insufficient_relation", correlation_id: correlationId },
    );
  },
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
