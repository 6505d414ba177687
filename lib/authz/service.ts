import "server-only";
import { randomUUID } from "node:crypto";
import { cache } from "react";
import type { Db, Tx } from "@/lib/db/client";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import type { PermissionDenialAction } from "@/lib/audit/action-names";
import { recordDenial } from "@/lib/audit/denials";
import { PermissionDeniedError } from "@/lib/errors";
import { findDomain } from "@/lib/tenancy/domain";
import { correlationId as requestCorrelationId } from "@/lib/http/correlation";
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
  /**
   * Answers established while this request authenticated (the /v1 issue
   * path asks its question in the same query that reads the token), keyed
   * by `questionKey`. Only the per-request caller object carries them.
   */
  readonly answered?: ReadonlyMap<string, unknown>;
}

type Rule = { relations: readonly string[]; platform: readonly string[] };

function ruleFor(type: string, permission: string): Rule | undefined {
  // Own properties only, so "constructor" or "__proto__" never reads as a rule.
  if (!Object.hasOwn(permissionSchema, type)) return undefined;
  const permissions = permissionSchema[type as ObjectType].permissions as Record<string, Rule>;
  return Object.hasOwn(permissions, permission) ? permissions[permission] : undefined;
}

/**
 * The permission rule as one SQL condition: does the user `subject` (a SQL
 * expression yielding the user's id) hold `permission` on the object
 * `objectId` (a SQL expression too, so a query can ask it of every row it
 * reads)? Every check in the product goes through here: `check`, the issue
 * path's combined query, a credential read. A new kind of subject (a group
 * the user belongs to) is one more alternative in this one place.
 */
export function permissionCondition(subject: Prisma.Sql, permission: string, type: string, objectId: Prisma.Sql): Prisma.Sql {
  const rule = ruleFor(type, permission);
  if (!rule) return Prisma.sql`FALSE`;
  const onPlatform =
    rule.platform.length > 0
      ? Prisma.sql` OR (rt.object_type = 'platform' AND rt.object_id = ${PLATFORM_ID} AND rt.relation IN (${Prisma.join([...rule.platform])}))`
      : Prisma.empty;
  return Prisma.sql`EXISTS (SELECT 1 FROM relation_tuples rt WHERE ${heldBy(subject)} AND (${onObject(type, rule, objectId)}${onPlatform}))`;
}

/** A tuple `rt` on the object itself that grants the rule. */
function onObject(type: string, rule: Rule, objectId: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(rt.object_type = ${type} AND rt.object_id = (${objectId})::text AND rt.relation IN (${Prisma.join([...rule.relations])}))`;
}

/** A tuple `rt` of the user's own, or of any group they belong to (read in the same statement, so a membership change holds at the next check). */
function heldBy(subject: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`((rt.subject_type = 'user' AND rt.subject_id = (${subject})::text) OR (rt.subject_type = 'group' AND rt.subject_id IN (SELECT
  gm.group_id::text FROM group_members gm WHERE gm.user_id = (${subject})::uuid)))`;
}

/**
 * Does a tuple grant the rule on the row's object? Exact lookups in the
 * tuples' unique index (object, relation, subject), one per relation: the
 * user's own tuple, and one per group they belong to. All five columns are
 * given, so the planner cannot prefer an index that reads every tuple of a
 * crowded object or every tuple of a big group. `OFFSET 0` keeps each a
 * per-row probe.
 */
function probe(subject: Prisma.Sql, type: string, rule: Rule, column: Prisma.Sql): Prisma.Sql {
  const probes = rule.relations.flatMap((relation) => {
    const onRow = Prisma.sql`rt.object_type = ${type} AND rt.object_id = (${column})::text AND rt.relation = ${relation}`;
    return [
      Prisma.sql`EXISTS (SELECT 1 FROM relation_tuples rt WHERE ${onRow} AND rt.subject_type = 'user' AND rt.subject_id = (${subject})::text OFFSET 0)`,
      Prisma.sql`EXISTS (SELECT 1 FROM group_members gm JOIN relation_tuples rt ON ${onRow} AND rt.subject_type = 'group' AND rt.subject_id = gm.group_id::text
                         WHERE gm.user_id = (${subject})::uuid OFFSET 0)`,
    ];
  });
  return Prisma.sql`(${Prisma.join(probes, " OR ")})`;
}

/**
 * The `object_id`s of the `type` tuples that grant the rule to the user
 * `subject`: their own and their groups', each a range of the (subject,
 * object type, relation) index, at most `limit` of each when given. May
 * name an object twice.
 */
function heldObjects(subject: Prisma.Sql, type: string, rule: Rule, limit?: number): Prisma.Sql {
  const onType = Prisma.sql`rt.object_type = ${type} AND rt.relation IN (${Prisma.join([...rule.relations])})`;
  const capped = limit === undefined ? Prisma.empty : Prisma.sql`LIMIT ${limit}`;
  return Prisma.sql`(SELECT rt.object_id FROM relation_tuples rt WHERE rt.subject_type = 'user' AND rt.subject_id = (${subject})::text AND ${onType} ${capped})
    UNION ALL
    (SELECT rt.object_id FROM group_members gm JOIN relation_tuples rt ON rt.subject_type = 'group' AND rt.subject_id = gm.group_id::text AND ${onType}
      WHERE gm.user_id = (${subject})::uuid ${capped})`;
}

/** Up to this many objects through tuples, an actor's lists go by their ids; past it, row by row (`visibleObjects`). */
export const FEW_OBJECTS = 500;

/** What `visibleObjects` answers: see there. */
export type VisibleObjects = { kind: "all" } | { kind: "few" | "many"; ids: Prisma.Sql; where: (column: Prisma.Sql) => Prisma.Sql };

/**
 * The rows of a list of `type` objects the actor may see, as SQL for the
 * list's own statement. Holding `permission` platform-wide (one check,
 * cached per request) is `all`: the list adds no condition. Otherwise one
 * capped count of the actor's tuples (their own and their groups') decides:
 * - `few` (at most FEW_OBJECTS): `where(column)` is `column IN (ids)`, the
 *   ids a subquery on the tuples, so the database reads those few objects
 *   and sorts them; Expiring soon reads each one's first page from `ids`;
 * - `many`: `where(column)` asks of each row, as the list walks its own
 *   index in page order, whether a tuple grants it (`probe`: the tuples'
 *   unique index answers), rather than a join that first hashes every tuple
 *   the actor holds.
 * No list fetches every id an actor can see into the application and hands
 * it back as an array: for a member of a group that observes 100,000
 * Clouds, that was 100,000 ids on every page view.
 */
export async function visibleObjects<T extends "cloud" | "project">(
  actor: Actor,
  permission: Permission<T>,
  type: T,
): Promise<VisibleObjects> {
  const rule = ruleFor(type, permission)!;
  if (rule.platform.length > 0 && (await check(actor, "manage", { platform: PLATFORM_ID }))) return { kind: "all" };
  if (!isUuid(actor.id)) return { kind: "few", ids: Prisma.sql`SELECT NULL::uuid WHERE FALSE`, where: () => Prisma.sql`FALSE` };
  const subject = Prisma.sql`${actor.id}`;
  const ids = Prisma.sql`SELECT DISTINCT object_id::uuid FROM (${heldObjects(subject, type, rule)}) held`;
  const [{ n }] = await db().$queryRaw<
    { n: number }[]
  >`SELECT count(*)::int AS n FROM (${heldObjects(subject, type, rule, FEW_OBJECTS + 1)}) capped`;
  return n <= FEW_OBJECTS
    ? { kind: "few", ids, where: (column) => Prisma.sql`${column} IN (${ids})` }
    : { kind: "many", ids, where: (column) => probe(subject, type, rule, column) };
}

/**
 * A question a route asks while it authenticates, so the answer costs no
 * query of its own: `condition` is SQL over the caller's user id, and the
 * answer is kept under `key` on that request's caller (`Actor.answered`).
 */
export interface Preauthorization {
  key: string;
  condition: (subject: Prisma.Sql) => Prisma.Sql;
}

/** The key an answer is kept under, per request. */
export function questionKey(permission: string, resource: { type: string; id: string }): string {
  return `${resource.type}#${permission}:${resource.id}`;
}

/**
 * Does `actor` hold `permission` on the object `objectId` names? As SQL, so
 * a list can select it as a column, one answer per row in the list's own
 * statement instead of a check per row.
 */
export function actorHolds<T extends ObjectType>(actor: Actor, permission: Permission<T>, type: T, objectId: Prisma.Sql): Prisma.Sql {
  return holds(actor.id, permission, type, objectId);
}

function holds(userId: string, permission: string, type: string, objectId: Prisma.Sql): Prisma.Sql {
  // Users are named by uuid; anything else holds nothing (and must not reach the uuid cast).
  return isUuid(userId) ? permissionCondition(Prisma.sql`${userId}`, permission, type, objectId) : Prisma.sql`FALSE`;
}

async function queryCheck(userId: string, permission: string, type: string, id: string, client: Db | Tx): Promise<boolean> {
  if (!isUuid(userId)) return false;
  const [row] = await client.$queryRaw<{ allowed: boolean }[]>`SELECT ${holds(userId, permission, type, Prisma.sql`${id}`)} AS allowed`;
  return row?.allowed === true;
}

/**
 * Within one render of a console page, each answer is computed once: the
 * layout, the page and its components ask the same questions. React's
 * `cache` is per request and does nothing outside a render (route handlers,
 * server actions, scripts), where every call asks the database.
 */
const cachedCheck = cache((userId: string, permission: string, type: string, id: string) => queryCheck(userId, permission, type, id, db()));

/**
 * May `actor` do `permission` on `resource`? One query against the same
 * database the resource lives in, so a grant is visible the moment its
 * transaction commits: there is no replication lag to wait out.
 */
export async function check<R extends Resource>(
  actor: Actor,
  permission: PermissionFor<R>,
  resource: R,
  client?: Db | Tx,
): Promise<boolean> {
  const { type, id } = resourceRef(resource);
  if (!ruleFor(type, permission)) return false;
  const known = actor.answered?.get(questionKey(permission, { type, id }));
  if (typeof known === "boolean") return known;
  // Inside a transaction the answer must come from that transaction.
  return client ? queryCheck(actor.id, permission, type, id, client) : cachedCheck(actor.id, permission, type, id);
}

/**
 * `check`, failing closed with a PermissionDeniedError that names what was
 * missing. Every denial is written to the audit trail under a correlation
 * id the error carries to the caller. Call it before any transaction: the
 * denial is recorded on its own, so a rollback cannot erase it.
 */
export async function authorize<R extends Resource>(actor: Actor, permission: PermissionFor<R>, resource: R): Promise<void> {
  if (await check(actor, permission, resource)) return;
  throw await denial(actor, permission, resourceRef(resource));
}

/**
 * For an object reached through its parent (a credential through its Cloud,
 * an assignment or a member tuple through its Project): `authorize`, except
 * that a caller who may not even observe the parent is told what a caller
 * naming an absent id is told (`hidden()`, the object's not-found error), so
 * nobody learns which ids exist by probing. A caller who can see the object
 * but lacks `permission` (an observer trying to revoke) still gets the 403,
 * which leaks nothing. Either way the denial is recorded.
 */
export async function authorizeOrHide<R extends { cloud: string } | { project: string }>(
  actor: Actor,
  permission: PermissionFor<R>,
  resource: R,
  hidden: () => Error,
): Promise<void> {
  if (await check(actor, permission, resource)) return;
  const denied = await denial(actor, permission, resourceRef(resource));
  if (permission !== "observe" && (await check(actor, "observe" as PermissionFor<R>, resource))) throw denied;
  throw hidden();
}

/** Records a denial of `permission` on an object and returns the error to throw, with the entry's correlation id. */
export async function denial(
  actor: Actor,
  permission: string,
  { type, id }: { type: ObjectType; id: string },
): Promise<PermissionDeniedError> {
  // The request's own id (lib/http/correlation.ts): the answer, its header and this entry name the same one.
  const correlationId = requestCorrelationId();
  await recordDenial({
    actorId: actor.id,
    // Callers name a permission of the schema (authorize's types see to it), and the catalogue labels each one's denial.
    action: `${type}#${permission}` as PermissionDenialAction,
    target: { type, id },
    cloudId: type === "cloud" && isUuid(id) ? id : null,
    reason: "insufficient_relation",
    correlationId,
  });
  return new PermissionDeniedError(`missing ${type}#${permission}`, correlationId);
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

/**
 * Which objects of `type` the actor holds `permission` on: every one (a
 * platform-level relation covers them all) or the full id list, for
 * `POST /v1/authz/lookup-resources` (whose contract returns the full set).
 * Lists do not use it: they ask `visibleObjects` in their own statement.
 */
export async function lookupResources<T extends "cloud" | "project">(
  actor: Actor,
  permission: Permission<T>,
  type: T,
  client?: Db | Tx,
): Promise<{ all: true } | { all: false; ids: string[] }> {
  const rule = ruleFor(type, permission)!;
  if (rule.platform.length > 0 && (await check(actor, "manage", { platform: PLATFORM_ID }, client))) {
    return { all: true };
  }
  if (!isUuid(actor.id)) return { all: false, ids: [] };
  const rows = await (client ?? db()).$queryRaw<
    { id: string }[]
  >`SELECT DISTINCT object_id AS id FROM (${heldObjects(Prisma.sql`${actor.id}`, type, rule)}) held`;
  return { all: false, ids: rows.map((r) => r.id) };
}

declare const platformManagerPermit: unique symbol;

/**
 * An actor checked, in this request, to hold `platform#manage`. Only
 * `authorizePlatform` makes one, so a service that takes a PlatformManager
 * (people, invitations, groups, IdP bindings) cannot be reached without the
 * check, and does not ask again.
 */
export type PlatformManager<A extends Actor = Actor> = A & { readonly [platformManagerPermit]: true };

/**
 * `platform#manage`, for a route's, an action's or a page's authorize step:
 * the permit is the actor, now known to administer the platform.
 */
export async function authorizePlatform<A extends Actor>(actor: A): Promise<PlatformManager<A>> {
  await authorize(actor, "manage", { platform: PLATFORM_ID });
  return actor as PlatformManager<A>;
}

/**
 * `platform#manage`, then the Domain: an outsider is refused before any
 * Domain id is looked up, so nobody learns which ones exist.
 */
export async function authorizeDomainAdmin<A extends Actor>(actor: A, domainId: string): Promise<PlatformManager<A>> {
  const manager = await authorizePlatform(actor);
  findDomain(domainId);
  return manager;
}
