import "server-only";
import { v7 as uuidv7 } from "uuid";
import { authorize, check, grant, lookupResources, type Actor } from "@/lib/authz/service";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { db, uniqueViolation } from "@/lib/db/client";
import type { CloudProvider } from "@/lib/db/generated/client";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
import type { CloudProviderName, CreateCloudInput } from "./schema";

/** A Cloud as every read surface shows it: the fields listed here and nothing else. */
export interface CloudView {
  id: string;
  slug: string;
  displayName: string;
  provider: CloudProviderName;
  externalId: string;
  endpoint: Record<string, string>;
  regionDefaults: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

export interface CloudListItem extends CloudView {
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
    endpoint: stringMap(row.endpoint),
    regionDefaults: stringMap(row.regionDefaults),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/**
 * Creates a Cloud and grants its creator `manage` on it in one transaction,
 * so the creator can issue credentials the moment the Cloud exists.
 */
export async function createCloud(actor: Actor, input: CreateCloudInput): Promise<CloudView> {
  await authorize(actor, "manage", { platform: PLATFORM_ID });
  try {
    const row = await db().$transaction(async (tx) => {
      const cloud = await tx.cloud.create({
        data: {
          id: uuidv7(),
          slug: input.slug,
          displayName: input.display_name,
          provider: toDbProvider(input.provider),
          externalId: input.external_id,
          endpoint: input.endpoint,
          regionDefaults: input.region_defaults,
          createdById: actor.id,
        },
      });
      await grant(tx, { type: "cloud", id: cloud.id }, "manage", actor.id);
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

/** The Clouds the actor may observe, slug-ordered, optionally filtered by slug or display name. */
export async function listClouds(actor: Actor, options: { filter?: string } = {}): Promise<CloudListItem[]> {
  const visible = await lookupResources(actor, "observe", "cloud");
  if (!visible.all && visible.ids.length === 0) return [];
  // A filter is free text from a URL: drop what PostgreSQL cannot compare (NUL) and bound it.
  const filter = options.filter?.replace(/[\u0000-\u001F\u007F]/g, "").trim().slice(0, 100);
  const rows = await db().cloud.findMany({
    where: {
      ...(visible.all ? {} : { id: { in: visible.ids } }),
      ...(filter
        ? {
            OR: [
              { slug: { contains: filter, mode: "insensitive" as const } },
              { displayName: { contains: filter, mode: "insensitive" as const } },
            ],
          }
        : {}),
    },
    orderBy: { slug: "asc" },
    include: { _count: { select: { credentials: true } } },
  });
  return rows.map((row) => ({ ...toView(row), credentialCount: row._count.credentials }));
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
