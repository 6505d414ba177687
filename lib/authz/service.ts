import "server-only";
import { randomUUID } from "node:crypto";
import type { Db, Tx } from "@/lib/db/client";
import { db } from "@/lib/db/client";
import { recordDenial } from "@/lib/audit/denials";
import { PermissionDeniedError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
import {
  PLATFORM_ID,
  permissionSchema,
  resourceRef,
  type ObjectType,
  type Permission,
  type PermissionFor,
  type Relation,
  type Resource,
} from "./schema";

export interface Actor {
  id: string;
}

/**
 * May `actor` do `permission` on `resource`? One query against the same
 * database the resource lives in, so a grant is visible the moment its
 * transaction commits: there is no replication lag to wait out.
 */
export async function check<R extends Resource>(
  actor: Actor,
  permission: PermissionFor<R>,
  resource: R,
  client: Db | Tx = db(),
): Promise<boolean> {
  const { type, id } = resourceRef(resource);
  // Own properties only, so "constructor" or "__proto__" never reads as a rule.
  if (!Object.hasOwn(permissionSchema, type)) return false;
  const permissions = permissionSchema[type].permissions as Record<string, { relations: readonly string[]; platform: readonly string[] }>;
  if (!Object.hasOwn(permissions, permission)) return false;
  const rule = permissions[permission];
  if (!isUuid(actor.id)) return false;
  const platformRelations = rule.platform.length > 0 ? [...rule.platform] : [];
  // One statement: the user's own tuples and those of every group they belong to,
  // on the object itself or (for platform-derived permissions) on the platform.
  const rows = await client.$queryRaw<{ hit: number }[]>`
    SELECT 1 AS hit FROM relation_tuples t
    WHERE ((t.object_type = ${type} AND t.object_id = ${id} AND t.relation = ANY(${[...rule.relations]}::text[]))
        OR (t.object_type = 'platform' AND t.object_id = ${PLATFORM_ID} AND t.relation = ANY(${platformRelations}::text[])))
      AND ((t.subject_type = 'user' AND t.subject_id = ${actor.id.toLowerCase()})
        OR (t.subject_type = 'group' AND t.subject_id IN (SELECT gm.group_id::text FROM group_members gm WHERE gm.user_id = ${actor.id.toLowerCase()}::uuid)))
    LIMIT 1`;
  return rows.length > 0;
}

/**
 * `check`, failing closed with a PermissionDeniedError that names what was
 * missing. Every denial is written to the audit trail under a correlation
 * id the error carries to the caller. Call it before any transaction: the
 * denial is recorded on its own, so a rollback cannot erase it.
 */
export async function authorize<R extends Resource>(actor: Actor, permission: PermissionFor<R>, resource: R): Promise<void> {
  if (await check(actor, permission, resource)) return;
  const { type, id } = resourceRef(resource);
  const correlationId = randomUUID();
  await recordDenial({
    actorId: actor.id,
    action: `${type}#${permission}`,
    target: { type, id },
    cloudId: type === "cloud" && isUuid(id) ? id : null,
    reason: "insufficient_relation",
    correlationId,
  });
  throw new PermissionDeniedError(`missing ${type}#${permission}`, correlationId);
}

/** Who a tuple is about: a user, or every member of a group. */
export type SubjectType = "user" | "group";
export interface Subject {
  type: SubjectType;
  id: string;
}

/** Stores `object#relation@subject` (a user id, or `{ type: "group", id }`); granting twice is a no-op. */
export async function grant<T extends ObjectType>(
  client: Db | Tx,
  object: { type: T; id: string },
  relation: Relation<T>,
  subject: string | Subject,
): Promise<void> {
  const { type: subjectType, id: subjectId } = typeof subject === "string" ? { type: "user" as const, id: subject } : subject;
  await client.relationTuple.upsert({
    where: {
      objectType_objectId_relation_subjectType_subjectId: {
        objectType: object.type,
        objectId: object.id,
        relation,
        subjectType,
        subjectId,
      },
    },
    create: {
      id: randomUUID(),
      objectType: object.type,
      objectId: object.id,
      relation,
      subjectType,
      subjectId,
    },
    update: {},
  });
}

/** The subjects whose tuples count for this actor: the user and each group they are a member of. */
export async function subjectsOf(actor: Actor, client: Db | Tx = db()): Promise<{ subjectType: string; subjectId: string }[]> {
  if (!isUuid(actor.id)) return [];
  const memberships = await client.groupMember.findMany({ where: { userId: actor.id }, select: { groupId: true } });
  return [{ subjectType: "user", subjectId: actor.id }, ...memberships.map((m) => ({ subjectType: "group", subjectId: m.groupId }))];
}

/**
 * Which objects of `type` the actor holds `permission` on: every one (a
 * platform-level relation covers them all) or an explicit id list, for
 * filtering listings in the database rather than after paging.
 */
export async function lookupResources<T extends "cloud" | "project">(
  actor: Actor,
  permission: Permission<T>,
  type: T,
  client: Db | Tx = db(),
): Promise<{ all: true } | { all: false; ids: string[] }> {
  const rule = (permissionSchema[type].permissions as Record<string, { relations: readonly string[]; platform: readonly string[] }>)[
    permission
  ];
  if (rule.platform.length > 0 && (await check(actor, "manage", { platform: PLATFORM_ID }, client))) {
    return { all: true };
  }
  const subjects = await subjectsOf(actor, client);
  if (subjects.length === 0) return { all: false, ids: [] };
  const tuples = await client.relationTuple.findMany({
    where: { OR: subjects, objectType: type, relation: { in: [...rule.relations] } },
    select: { objectId: true },
  });
  return { all: false, ids: [...new Set(tuples.map((t) => t.objectId))] };
}
