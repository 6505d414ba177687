import { randomUUID } from "node:crypto";
import { readBody } from "@/lib/api/parse";
import { deny } from "@/lib/audit/service";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { rebacCheckRequestSchema } from "@/lib/api/schemas";
import { PLATFORM_ID, permissionSchema, type Resource } from "@/lib/authz/schema";
import { check } from "@/lib/authz/service";
import { ValidationError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";

/**
 * "May I do X on Y?" The subject must be the caller (user:<own id>): asking
 * about other people is itself something to be authorized, and nothing in
 * the console needs it yet.
 */
export const POST = apiRoute(async ({ request, caller }) => {
  const body = await readBody(request, rebacCheckRequestSchema);
  if (body.subject.toLowerCase() !== `user:${caller.user.id}`) throw await deny(caller.user.id, "authz.check", { type: "identity", id: body.subject.slice(0, 200) });
  const [type, id] = body.resource.split(":", 2);
  // Own properties only: "constructor" or "__proto__" must not pass for a type or relation.
  const known = Object.hasOwn(permissionSchema, type) && (type === "platform" ? id === PLATFORM_ID : isUuid(id));
  if (!known) throw new ValidationError("invalid_body", "resource must be cloud:<uuid> or platform:plexsphere");
  const permissions = permissionSchema[type as keyof typeof permissionSchema].permissions;
  if (!Object.hasOwn(permissions, body.relation)) throw new ValidationError("invalid_body", `relation must be one of: ${Object.keys(permissions).join(", ")}`);
  const resource = (type === "platform" ? { platform: id } : { cloud: id }) as Resource;
  const allowed = await check(caller.user, body.relation as never, resource);
  const correlationId = randomUUID();
  return json(
    allowed
      ? { decision: "allowed", relation_path: [`${type}:${id}#${body.relation}`], correlation_id: correlationId }
      : { decision: "denied", reason: "insufficient_relation", correlation_id: correlationId },
  );
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
