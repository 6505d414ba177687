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
  const alternatives: { objectType: string; objectId: string; relation: { in: string[] } }[] = [
    { objectType: type, objectId: id, relation: { in: [...rule.relations] } },
  ];
  if (rule.platform.length > 0) {
    alternatives.push({ objectType: "platform", objectId: PLATFORM_ID, relation: { in: [...rule.platform] } });
  }
  const tuple = await client.relationTuple.findFirst({
    where: { subjectType: "user", subjectId: actor.id, OR: alternatives },
    select: { id: true },
  });
  return tuple !== null;
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

/** Stores `object#relation@user`; granting twice is a no-op. */
export async function grant<T extends ObjectType>(
  client: Db | Tx,
  object: { type: T; id: string },
  relation: Relation<T>,
  userId: string,
): Promise<void> {
  await client.relationTuple.upsert({
    where: {
      objectType_objectId_relation_subjectType_subjectId: {
        objectType: object.type,
        objectId: object.id,
        relation,
        subjectType: "user",
        subjectId: userId,
      },
    },
    create: {
      id: randomUUID(),
      objectType: object.type,
      objectId: object.id,
      relation,
      subjectType: "user",
      subjectId: userId,
    },
    update: {},
  });
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
  const tuples = await client.relationTuple.findMany({
    where: { subjectType: "user", subjectId: actor.id, objectType: type, relation: { in: [...rule.relations] } },
    select: { objectId: true },
  });
  return { all: false, ids: [...new Set(tuples.map((t) => t.objectId))] };
}
