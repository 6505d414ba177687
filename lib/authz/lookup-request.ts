import "server-only";
import { ValidationError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
import { PLATFORM_ID, permissionSchema, type ObjectType } from "./schema";
import type { SubjectType } from "./service";

/** Parsing of the lookup endpoints' references (`user:<uuid>`, `cloud:<uuid>`, ...); a malformed one is invalid_lookup_request. */
export const invalidLookup = (detail: string) => new ValidationError("invalid_lookup_request", detail);

export function parseSubjectType(value: string): SubjectType {
  if (value !== "user" && value !== "group") throw invalidLookup("subject_type must be user or group");
  return value;
}

export function parseSubject(value: string): { type: SubjectType; id: string } {
  const [type, id, ...rest] = value.split(":");
  if ((type !== "user" && type !== "group") || rest.length > 0 || !isUuid(id))
    throw invalidLookup("subject must be user:<uuid> or group:<uuid>");
  return { type, id: id.toLowerCase() };
}

export function parseResourceType(value: string): "cloud" | "project" {
  if (value !== "cloud" && value !== "project") throw invalidLookup("resource_type must be cloud or project");
  return value;
}

export function parseResource(value: string): { type: ObjectType; id: string } {
  const [type, id, ...rest] = value.split(":");
  const known = rest.length === 0 && Object.hasOwn(permissionSchema, type) && (type === "platform" ? id === PLATFORM_ID : isUuid(id));
  if (!known) throw invalidLookup("resource must be project:<uuid>, cloud:<uuid> or platform:plexsphere");
  return { type: type as ObjectType, id: type === "platform" ? id : id.toLowerCase() };
}

export function parsePermission(type: ObjectType, relation: string): string {
  const permissions = permissionSchema[type].permissions;
  if (!Object.hasOwn(permissions, relation))
    throw invalidLookup(`relation on ${type} must be one of: ${Object.keys(permissions).join(", ")}`);
  return relation;
}
