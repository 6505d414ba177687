import "server-only";
import { v7 as uuidv7 } from "uuid";
import { recordAudit } from "@/lib/audit/service";
import { forgetWebhookSecret } from "@/lib/reminders/settings";
import { authorize, check, grant, visibleObjects, type Actor, type VisibleObjects } from "@/lib/authz/service";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { db, uniqueViolation } from "@/lib/db/client";
import { Prisma, type CloudProvider } from "@/lib/db/generated/client.ts";
import { containsPattern, finishPage, keysetClause, type Page } from "@/lib/lists/keyset";
import type { z } from "zod";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { fieldErrorsOf, isUuid } from "@/lib/validation";
import { asCloudMetadata, cloudMetadataProblem, type CloudMetadata } from "./metadata";
import { createCloudFormSchema, type CloudProviderName, type CreateCloudInput } from "./schema";

/** The form's flat text maps or the API's free-form objects: both are Cloud metadata. */
export type CloudInput = Omit<CreateCloudInput, "endpoint" | "region_defaults"> & {
  endpoint: CloudMetadata;
  region_defaults: CloudMetadata;
};

/** A Cloud as every read surface shows it: the fields listed here and nothing else. */
export interface CloudView {
  id: string;
  slug: string;
  displayName: string;
  provider: CloudProviderName;
  externalId: string;
  endpoint: CloudMetadata;
  regionDefaults: CloudMetadata;
  /** Whether /v1 refuses a payload without the provider's shape (lib/credentials/shape.ts) instead of warning. */
  strictPayloadShape: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface CloudListItem extends CloudView {
  /** At most CREDENTIAL_COUNT_CAP + 1 (shown as "1,000+"); 0 unless asked for. */
  credentialCount: number;
}

const toDbProvider = (p: CloudProviderName): CloudProvider => (p === "s3-compatible" ? "s3_compatible" : p);
const fromDbProvider = (p: CloudProvider): CloudProviderName => (p === "s3_compatible" ? "s3-compatible" : p);

type CloudRow = {
  id: string;
  slug: string;
  displayName: string;
  provider: CloudProvider;
  externalId: string;
  endpoint: unknown;
  regionDefaults: unknown;
  strictPayloadShape: boolean;
  createdAt: Date;
  updatedAt: Date;
};

function toView(row: CloudRow): CloudView {
  return {
    id: row.id,
    slug: row.slug,
    displayName: row.displayName,
    provider: fromDbProvider(row.provider),
    externalId: row.externalId,
    endpoint: asCloudMetadata(row.endpoint),
    regionDefaults: asCloudMetadata(row.regionDefaults),
    strictPayloadShape: row.strictPayloadShape,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/**
 * Creates a Cloud and grants its creator `manage` on it in one transaction,
 * so the creator can issue credentials the moment the Cloud exists.
 */
/** Proof that the actor may create Clouds (platform#manage); the only way to reach `create`. */
export interface CloudCreator {
  create(input: CloudInput): Promise<CloudView>;
}

export async function authorizeCloudCreate(actor: Actor): Promise<CloudCreator> {
  await authorize(actor, "manage", { platform: PLATFORM_ID });
  return { create: (input) => create(actor, input) };
}

/** Both steps at once (the console's action and tests). */
export async function createCloud(actor: Actor, input: CloudInput): Promise<CloudView> {
  return (await authorizeCloudCreate(actor)).create(input);
}

async function create(actor: Actor, input: CloudInput): Promise<CloudView> {
  // The one name rule (lib/names.ts) again, whatever door the input came through.
  const name = cloudPatchSchema.safeParse({ display_name: input.display_name });
  if (!name.success) throw invalidCloud(name.error);
  try {
    const row = await db().$transaction(async (tx) => {
      const cloud = await tx.cloud.create({
        data: {
          id: uuidv7(),
          slug: input.slug,
          displayName: name.data.display_name ?? input.display_name,
          provider: toDbProvider(input.provider),
          externalId: input.external_id,
          endpoint: input.endpoint,
          regionDefaults: input.region_defaults,
          createdById: actor.id,
        },
      });
      await grant(tx, { type: "cloud", id: cloud.id }, "manage", actor.id);
      await recordAudit(
        { actorId: actor.id, action: "cloud.create", target: { type: "cloud", id: cloud.id }, cloudId: cloud.id, outcome: "succeeded" },
        tx,
      );
      await recordAudit(
        {
          actorId: actor.id,
          action: "relation.grant",
          target: { type: "cloud", id: cloud.id },
          cloudId: cloud.id,
          outcome: "succeeded",
          reason: "manage to the creator",
        },
        tx,
      );
      return cloud;
    });
    return toView(row);
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint === "clouds_slug_key") {
      throw new ConflictError("cloud_slug_conflict", "A Cloud with this slug already exists.", {
        slug: "A Cloud with this slug already exists.",
      });
    }
    if (constraint === "clouds_provider_external_id_key") {
      throw new ConflictError("cloud_external_id_conflict", "Another Cloud already uses this provider account.", {
        external_id: "Another Cloud of this provider already uses this external id.",
      });
    }
    throw error;
  }
}

/** One Cloud; denied (not "missing") when the actor may not observe it. */
export async function getCloud(actor: Actor, cloudId: string): Promise<CloudView> {
  await authorize(actor, "observe", { cloud: cloudId });
  const row = isUuid(cloudId) ? await db().cloud.findUnique({ where: { id: cloudId } }) : null;
  if (!row) throw new NotFoundError("cloud_not_found", "This Cloud does not exist.");
  return toView(row);
}

export function canCreateClouds(actor: Actor): Promise<boolean> {
  return check(actor, "manage", { platform: PLATFORM_ID });
}

export function canManageCloud(actor: Actor, cloudId: string): Promise<boolean> {
  return check(actor, "manage", { cloud: cloudId });
}

/** Credential counts on the Clouds list stop here ("1,000+"), so a list never counts a big Cloud's every row. */
export const CREDENTIAL_COUNT_CAP = 1_000;

export interface CloudListQuery {
  limit: number;
  after?: string;
  before?: string;
  /** Free text matched against slug and display name, in the database. */
  filter?: string;
  /** Adds each Cloud's credential count, capped at CREDENTIAL_COUNT_CAP (+1 to know it was reached). */
  withCounts?: boolean;
}

/** The SQL of one page of Clouds, slug-ordered; `visible` narrows it to what the actor observes. */
export function cloudsSql(q: CloudListQuery, visible: VisibleObjects): { sql: Prisma.Sql; backwards: boolean } {
  const keyset = keysetClause(Prisma.sql`c.slug`, "asc", {
    after: q.after !== undefined ? Prisma.sql`${q.after}` : undefined,
    before: q.before !== undefined ? Prisma.sql`${q.before}` : undefined,
  });
  const pattern = containsPattern(q.filter);
  const dir = keyset.walk === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  const counts = q.withCounts
    ? Prisma.sql`, (SELECT count(*)::int FROM (SELECT 1 FROM cloud_credentials cc WHERE cc.cloud_id = c.id ORDER BY cc.cloud_id, cc.created_at,
    cc.id LIMIT ${CREDENTIAL_COUNT_CAP + 1}) capped) AS "credentialCount"`
    : Prisma.empty;
  const sql = Prisma.sql`
    SELECT c.id::text AS id, c.slug, c.display_name AS "displayName", c.provider::text AS provider, c.external_id AS "externalId",
           c.endpoint, c.region_defaults AS "regionDefaults", c.strict_payload_shape AS "strictPayloadShape", c.created_at AS "createdAt",
           c.updated_at AS "updatedAt" ${counts}
    FROM clouds c
    WHERE TRUE
      ${visible.kind === "all" ? Prisma.empty : Prisma.sql`AND ${visible.where(Prisma.sql`c.id`)}`}
      ${pattern ? Prisma.sql`AND (c.slug ILIKE ${pattern} OR c.display_name ILIKE ${pattern})` : Prisma.empty}
      ${keyset.where}
    ORDER BY c.slug ${dir}
    LIMIT ${q.limit + 1}`;
  return { sql, backwards: keyset.backwards };
}

type CloudSqlRow = Omit<CloudRow, "provider"> & { provider: CloudProviderName; credentialCount?: number };

/**
 * One keyset page of the Clouds the actor observes, slug-ordered, for the
 * /v1 list and the console's Clouds page alike. Rows the actor may not see
 * are filtered in the query, so every page is full.
 */
export async function listCloudsPage(actor: Actor, q: CloudListQuery): Promise<Page<CloudListItem, string>> {
  const { sql, backwards } = cloudsSql(q, await visibleObjects(actor, "observe", "cloud"));
  const rows = await db().$queryRaw<CloudSqlRow[]>(sql);
  return finishPage(
    rows,
    q.limit,
    backwards,
    q.after !== undefined || q.before !== undefined,
    (row) => ({ ...toView({ ...row, provider: toDbProvider(row.provider) }), credentialCount: row.credentialCount ?? 0 }),
    (cloud) => cloud.slug,
  );
}

export interface CloudPatch {
  display_name?: string;
  endpoint?: CloudMetadata;
  region_defaults?: CloudMetadata;
  /** Strict provider shape checking for this Cloud's payloads over /v1 (lib/credentials/shape.ts). */
  strict_payload_shape?: boolean;
}

/**
 * Renames a Cloud, replaces its metadata maps or turns strict payload shape
 * checking on or off; slug and provider never change. A change of the
 * strictness is its own audit entry, saying which way it went.
 */
export async function patchCloud(actor: Actor, cloudId: string, patch: CloudPatch): Promise<CloudView> {
  return (await authorizeCloudEdit(actor, cloudId)).patch(patch);
}

/** Proof that the actor manages one Cloud; the only way to reach `patch`. */
export interface CloudEditor {
  readonly cloudId: string;
  patch(patch: CloudPatch): Promise<CloudView>;
}

export async function authorizeCloudEdit(actor: Actor, cloudId: string): Promise<CloudEditor> {
  await authorize(actor, "manage", { cloud: cloudId });
  return { cloudId, patch: (patch) => edit(actor, cloudId, patch) };
}

async function edit(actor: Actor, cloudId: string, patch: CloudPatch): Promise<CloudView> {
  const { strict_payload_shape: strict, ...rest } = patch;
  if (rest.display_name === undefined && rest.endpoint === undefined && rest.region_defaults === undefined && strict === undefined) {
    throw new ValidationError("empty_patch", "set at least one of display_name, endpoint, region_defaults, strict_payload_shape");
  }
  const checked = cloudPatchSchema.safeParse({ display_name: patch.display_name });
  if (!checked.success) throw invalidCloud(checked.error);
  const metadata = checkedMetadata(patch);
  const row = await db().$transaction(async (tx) => {
    const target = { type: "cloud", id: cloudId };
    if (strict !== undefined) {
      // The row lock orders two managers flipping it at once, so each entry says what really changed.
      const [current] = await tx.$queryRaw<
        { strict: boolean }[]
      >`SELECT strict_payload_shape AS strict FROM clouds WHERE id = ${cloudId}::uuid FOR UPDATE`;
      if (current && current.strict !== strict) {
        const reason = `strict payload shape check ${strict ? "on" : "off"}`;
        await recordAudit({ actorId: actor.id, action: "cloud.update", target, cloudId, outcome: "succeeded", reason }, tx);
      }
    }
    const changesMore = Object.values(rest).some((v) => v !== undefined);
    if (changesMore) await recordAudit({ actorId: actor.id, action: "cloud.update", target, cloudId, outcome: "succeeded" }, tx);
    return tx.cloud.update({
      where: { id: cloudId },
      data: {
        ...(checked.data.display_name !== undefined ? { displayName: checked.data.display_name } : {}),
        ...(metadata.endpoint !== undefined ? { endpoint: metadata.endpoint } : {}),
        ...(metadata.region_defaults !== undefined ? { regionDefaults: metadata.region_defaults } : {}),
        ...(strict !== undefined ? { strictPayloadShape: strict } : {}),
      },
    });
  });
  return toView(row);
}

/** Deletes an empty Cloud and every relation on it; one that still owns credentials is a 409 with counts. */
export async function deleteCloud(actor: Actor, cloudId: string): Promise<void> {
  await authorize(actor, "manage", { cloud: cloudId });
  const signedWebhook = await db().$transaction(async (tx) => {
    const credentials = await tx.cloudCredential.count({ where: { cloudId } });
    // Credentials of other Clouds attached to this one (lib/credentials/usages.ts) keep it too.
    const usages = await tx.cloudCredentialUsage.count({ where: { cloudId } });
    if (credentials > 0 || usages > 0) {
      const counts = { cloud_credentials: credentials, cloud_credential_usages: usages };
      throw new ConflictError(
        "cloud_not_empty",
        `Cloud still owns: cloud_credentials=${counts.cloud_credentials} cloud_credential_usages=${counts.cloud_credential_usages}`,
        {},
        { cloud_child_counts: counts },
      );
    }
    await tx.cloud.delete({ where: { id: cloudId } });
    await recordAudit(
      { actorId: actor.id, action: "cloud.delete", target: { type: "cloud", id: cloudId }, cloudId, outcome: "succeeded" },
      tx,
    );
    await tx.relationTuple.deleteMany({ where: { objectType: "cloud", objectId: cloudId } });
    await tx.reminderSend.deleteMany({ where: { cloudId } });
    const reminders = await tx.cloudReminderSettings.findUnique({ where: { cloudId }, select: { webhookSigned: true } });
    await tx.cloudReminderSettings.deleteMany({ where: { cloudId } });
    return reminders?.webhookSigned ?? false;
  });
  // The reminder webhook's signing secret goes too; a store that is down leaves an unreachable secret behind, nothing worse.
  if (signedWebhook) await forgetWebhookSecret(cloudId).catch(() => {});
}

/**
 * The API's create body: the console form's rules for names, slug, provider
 * and external id; free-form (bounded) JSON objects for the metadata, as the
 * contract has them. Codes follow the contract: unknown_provider,
 * invalid_cloud_endpoint, invalid_cloud_region_defaults, invalid_cloud.
 */
export function parseCloudCreate(body: {
  display_name: string;
  slug: string;
  provider: string;
  endpoint: CloudMetadata;
  region_defaults: CloudMetadata;
  external_id: string;
}): CloudInput {
  const checked = createCloudFormSchema.safeParse({ ...body, endpoint: [], region_defaults: [] });
  if (!checked.success) throw invalidCloud(checked.error);
  const metadata = checkedMetadata(body);
  return { ...checked.data, endpoint: metadata.endpoint!, region_defaults: metadata.region_defaults! };
}

const cloudPatchSchema = createCloudFormSchema.pick({ display_name: true }).partial();

function checkedMetadata<T extends { endpoint?: CloudMetadata; region_defaults?: CloudMetadata }>(
  input: T,
): Pick<T, "endpoint" | "region_defaults"> {
  for (const [field, code] of [
    ["endpoint", "invalid_cloud_endpoint"],
    ["region_defaults", "invalid_cloud_region_defaults"],
  ] as const) {
    const problem = input[field] === undefined ? undefined : cloudMetadataProblem(input[field]);
    if (problem) throw new ValidationError(code, `${field} ${problem}`, { [field]: problem });
  }
  return { endpoint: input.endpoint, region_defaults: input.region_defaults };
}

function invalidCloud(error: z.ZodError): ValidationError {
  const fields = fieldErrorsOf(error);
  const first = Object.keys(fields)[0] ?? "";
  const code = first.startsWith("provider")
    ? "unknown_provider"
    : first.startsWith("endpoint")
      ? "invalid_cloud_endpoint"
      : first.startsWith("region_defaults")
        ? "invalid_cloud_region_defaults"
        : "invalid_cloud";
  return new ValidationError(code, `${first}: ${fields[first]}`, fields);
}
