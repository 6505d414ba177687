import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { db } from "@/lib/db/client";
import { PLATFORM_ID, permissionSchema, type ObjectType } from "./schema";
import { check, lookupResources, type Actor, type SubjectType } from "./service";

/**
 * The two enumerations of the contract: which objects a subject reaches
 * ("which Clouds can this person manage") and which subjects reach an
 * object ("who can manage this Cloud"), with groups expanded. Both read the
 * same tuples and the same rules (lib/authz/schema.ts) as `check`.
 */
type Rule = { relations: readonly string[]; platform: readonly string[] };

export function ruleFor(type: ObjectType, permission: string): Rule | undefined {
  if (!Object.hasOwn(permissionSchema, type)) return undefined;
  const permissions = permissionSchema[type].permissions as Record<string, Rule>;
  return Object.hasOwn(permissions, permission) ? permissions[permission] : undefined;
}

/** Object ids of `type` that a group's members reach through the group's own tuples. */
async function resourcesOfGroup(groupId: string, type: "cloud" | "project", rule: Rule, client: Db | Tx): Promise<string[]> {
  const tuples = await client.relationTuple.findMany({
    where: { subjectType: "group", subjectId: groupId, objectType: type, relation: { in: [...rule.relations] } },
    select: { objectId: true },
  });
  return [...new Set(tuples.map((t) => t.objectId))];
}

/** `<type>:<id>` references of every `type` object the subject holds `permission` on. */
export async function lookupResourceRefs(
  subject: { type: SubjectType; id: string },
  permission: string,
  type: "cloud" | "project",
  client: Db | Tx = db(),
): Promise<string[]> {
  const rule = ruleFor(type, permission);
  if (!rule) return [];
  let ids: string[];
  if (subject.type === "group") {
    ids = await resourcesOfGroup(subject.id, type, rule, client);
  } else {
    const found = await lookupResources({ id: subject.id }, permission as never, type, client);
    ids = found.all ? await allIds(type, client) : found.ids;
  }
  // Only objects that exist: a tuple left behind by a deleted object names nothing.
  const existing = await existingIds(type, ids, client);
  return ids.filter((id) => existing.has(id)).map((id) => `${type}:${id}`);
}

async function allIds(type: "cloud" | "project", client: Db | Tx): Promise<string[]> {
  const rows =
    type === "cloud" ? await client.cloud.findMany({ select: { id: true } }) : await client.project.findMany({ select: { id: true } });
  return rows.map((r) => r.id);
}

async function existingIds(type: "cloud" | "project", ids: string[], client: Db | Tx): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const where = { id: { in: ids } };
  const rows =
    type === "cloud"
      ? await client.cloud.findMany({ where, select: { id: true } })
      : await client.project.findMany({ where, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

/** One way a user reaches an object: a relation held directly, through a group, or on the platform. */
export interface AccessPath {
  relation: string;
  via: { type: "user" } | { type: "group"; id: string; name: string } | { type: "platform" };
}

export interface AccessHolder {
  userId: string;
  email: string;
  paths: AccessPath[];
}

/**
 * Everyone who holds `permission` on the object, each with the paths that
 * give it to them (so a page can say "through group Platform team").
 */
export async function accessHolders(
  object: { type: ObjectType; id: string },
  permission: string,
  client: Db | Tx = db(),
): Promise<AccessHolder[]> {
  const rule = ruleFor(object.type, permission);
  if (!rule) return [];
  const alternatives = [{ objectType: object.type, objectId: object.id, relation: { in: [...rule.relations] } }];
  if (rule.platform.length > 0) alternatives.push({ objectType: "platform", objectId: PLATFORM_ID, relation: { in: [...rule.platform] } });
  const tuples = await client.relationTuple.findMany({ where: { OR: alternatives }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const groupIds = tuples.filter((t) => t.subjectType === "group").map((t) => t.subjectId);
  const groups = groupIds.length
    ? await client.group.findMany({
        where: { id: { in: groupIds } },
        select: { id: true, displayName: true, members: { select: { userId: true } } },
      })
    : [];
  const byGroup = new Map(groups.map((g) => [g.id, g]));
  const paths = new Map<string, AccessPath[]>();
  const add = (userId: string, path: AccessPath) => paths.set(userId, [...(paths.get(userId) ?? []), path]);
  for (const t of tuples) {
    const onPlatform = t.objectType === "platform";
    if (t.subjectType === "user") {
      add(t.subjectId, { relation: t.relation, via: onPlatform ? { type: "platform" } : { type: "user" } });
    } else if (t.subjectType === "group") {
      const group = byGroup.get(t.subjectId);
      for (const m of group?.members ?? []) {
        add(m.userId, {
          relation: t.relation,
          via: onPlatform ? { type: "platform" } : { type: "group", id: t.subjectId, name: group!.displayName },
        });
      }
    }
  }
  const users = await client.user.findMany({
    where: { id: { in: [...paths.keys()] } },
    select: { id: true, email: true },
    orderBy: { email: "asc" },
  });
  return users.map((u) => ({ userId: u.id, email: u.email, paths: paths.get(u.id) ?? [] }));
}

/** `<subjectType>:<id>` references of the subjects holding `permission` on the object. */
export async function lookupSubjectRefs(
  object: { type: ObjectType; id: string },
  permission: string,
  subjectType: SubjectType,
  client: Db | Tx = db(),
): Promise<string[]> {
  if (subjectType === "user") return (await accessHolders(object, permission, client)).map((h) => `user:${h.userId}`);
  const rule = ruleFor(object.type, permission);
  if (!rule) return [];
  const tuples = await client.relationTuple.findMany({
    where: { subjectType: "group", objectType: object.type, objectId: object.id, relation: { in: [...rule.relations] } },
    select: { subjectId: true },
  });
  return [...new Set(tuples.map((t) => `group:${t.subjectId}`))];
}

/** May this caller see an enumeration about `subject`? Themselves always; anyone else only as a platform admin. */
export async function mayLookUpFor(caller: Actor, subject: { type: SubjectType; id: string }): Promise<boolean> {
  if (subject.type === "user" && subject.id === caller.id) return true;
  return check(caller, "manage", { platform: PLATFORM_ID });
}
