import "server-only";
import { v7 as uuidv7 } from "uuid";
import type { IdpBinding } from "@/lib/db/generated/client";
import { recordAudit } from "@/lib/audit/service";
import { type PlatformManager } from "@/lib/authz/service";
import { db, uniqueViolation, type Tx } from "@/lib/db/client";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { log } from "@/lib/log";
import { DEFAULT_DOMAIN_ID, isKnownDomain } from "@/lib/tenancy/domain";
import { isUuid } from "@/lib/validation";
import { secretStore } from "@/lib/vault";
import { claimMappingsSchema, jitPolicySchema, jitPolicyToWire, normaliseAlias, type ClaimMappings, type JitPolicy } from "./schema";
import { cachedDiscovery, fetchDiscovery } from "./discovery";

/**
 * OpenID Connect identity providers people sign in through. Platform
 * admins manage them (platform#manage, checked here as well as in the
 * routes). The client secret is written to the secret store like a
 * credential payload and the row keeps only its path (`client_secret_ref`);
 * no function here returns the secret except clientSecretFor(), which
 * sign-in uses to talk to the IdP.
 */

export const IDP_SECRETS_ROOT = "plexsphere/idp-bindings/";

export interface BindingInput {
  /** null for a platform-scoped (shared) binding. */
  domainId: string | null;
  issuer: string;
  clientId: string;
  clientSecret: string;
  discoveryUrl?: string;
  scopes?: string[];
  claimMappings?: ClaimMappings;
  requiredAcr?: string[];
  requiredAmr?: string[];
  jitPolicy: JitPolicy;
  alias?: string;
  primary?: boolean;
}

export interface BindingPatch {
  discoveryUrl?: string;
  clientId?: string;
  clientSecret?: string;
  scopes?: string[];
  claimMappings?: ClaimMappings;
  requiredAcr?: string[];
  requiredAmr?: string[];
  jitPolicy?: JitPolicy;
  alias?: string;
  primary?: boolean;
}

export function discoveryUrlFor(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
}

function secretPath(bindingId: string): string {
  // A fresh path per secret: replacing it is create-new, point, destroy-old, so no version bookkeeping.
  return `${IDP_SECRETS_ROOT}${bindingId}/client-secret/${uuidv7()}`;
}

async function storeSecret(bindingId: string, secret: string): Promise<string> {
  const path = secretPath(bindingId);
  await (await secretStore()).create(path, { payload: new TextEncoder().encode(secret), keyValues: {} });
  return path;
}

async function destroySecret(path: string): Promise<void> {
  try {
    await (await secretStore()).destroy(path);
  } catch (error) {
    // The row no longer points at it; the secret is unreachable, and worth a log line for the operator.
    log.warn("idp_binding.secret_destroy_failed", { error: error instanceof Error ? error.name : "unknown" });
  }
}

function aliasFromIssuer(issuer: string): string {
  return normaliseAlias(new URL(issuer).hostname) || "idp";
}

function conflictFor(error: unknown): ConflictError | undefined {
  const target = uniqueViolation(error);
  if (target === undefined) return undefined;
  if (target.includes("alias"))
    return new ConflictError("alias-conflict", "Another identity provider already uses this alias.", { alias: "Choose another alias." });
  return new ConflictError("binding_conflict", "The identity provider changed or conflicts with another one; reload and try again.");
}

async function assertNoActiveConflicts(
  client: Tx,
  binding: { id: string; issuer: string; platformScoped: boolean; primary: boolean; status: string },
): Promise<void> {
  if (binding.status !== "active") return;
  const sameIssuer = await client.idpBinding.findFirst({
    where: { id: { not: binding.id }, status: "active", issuer: binding.issuer, platformScoped: binding.platformScoped },
    select: { id: true },
  });
  if (sameIssuer)
    throw new ConflictError("binding_conflict", "Another active identity provider already uses this issuer.", {
      issuer: "This issuer is already configured.",
    });
  if (binding.primary) {
    const primary = await client.idpBinding.findFirst({
      where: { id: { not: binding.id }, status: "active", primary: true },
      select: { id: true },
    });
    if (primary)
      throw new ConflictError("primary-conflict", "Another active identity provider is already the primary one; demote it first.");
  }
}

export async function createBinding(actor: PlatformManager, input: BindingInput): Promise<IdpBinding> {
  return insertBinding(actor.id, input, "");
}

/**
 * For the operator's command line only (scripts/idp-add.ts), which acts
 * with database access before anyone can sign in: no actor to authorize.
 */
export async function createBindingAsOperator(input: BindingInput): Promise<IdpBinding> {
  return insertBinding(null, input, " (npm run idp:add)");
}

async function insertBinding(actorId: string | null, input: BindingInput, via: string): Promise<IdpBinding> {
  if (input.domainId !== null && !isKnownDomain(input.domainId)) {
    throw new ValidationError("invalid_domain", "There is no Domain with this id.", { domain_id: "Unknown Domain." });
  }
  const discoveryUrl = input.discoveryUrl ?? discoveryUrlFor(input.issuer);
  // Before the secret is stored: a provider that cannot be discovered changes nothing.
  const discovery = await fetchDiscovery(discoveryUrl, input.issuer);
  const id = uuidv7();
  const alias = input.alias || aliasFromIssuer(input.issuer);
  const ref = await storeSecret(id, input.clientSecret);
  try {
    return await db().$transaction(async (tx) => {
      const binding = {
        id,
        alias,
        issuer: input.issuer,
        platformScoped: input.domainId === null,
        primary: input.domainId !== null && (input.primary ?? false),
        status: "active",
      };
      await assertNoActiveConflicts(tx, binding);
      const row = await tx.idpBinding.create({
        data: {
          ...binding,
          discoveryUrl,
          discovery,
          discoveredAt: new Date(),
          clientId: input.clientId,
          clientSecretRef: ref,
          ...(input.scopes ? { scopes: input.scopes } : {}),
          claimMappings: input.claimMappings ?? {},
          requiredAcr: input.requiredAcr ?? [],
          requiredAmr: input.requiredAmr ?? [],
          jitPolicy: input.jitPolicy,
        },
      });
      await recordAudit(
        {
          actorId,
          action: "idp_binding.create",
          target: { type: "idp_binding", id },
          outcome: "succeeded",
          reason: `alias ${alias}${via}`,
        },
        tx,
      );
      return row;
    });
  } catch (error) {
    await destroySecret(ref);
    throw conflictFor(error) ?? error;
  }
}

export async function listBindings(actor: PlatformManager, filter: { platformScoped?: boolean } = {}): Promise<IdpBinding[]> {
  return db().idpBinding.findMany({
    where: filter.platformScoped === undefined ? {} : { platformScoped: filter.platformScoped },
    orderBy: [{ primary: "desc" }, { alias: "asc" }],
  });
}

export async function getBinding(actor: PlatformManager, id: string): Promise<IdpBinding> {
  const row = isUuid(id) ? await db().idpBinding.findUnique({ where: { id } }) : null;
  if (!row) throw new NotFoundError("binding_not_found", "There is no identity provider with this id.");
  return row;
}

export async function updateBinding(actor: PlatformManager, id: string, patch: BindingPatch): Promise<IdpBinding> {
  const current = await getBinding(actor, id);
  // A new discovery URL, or none cached yet: fetched now, so a save that cannot be discovered is refused (400) and changes nothing.
  const rediscover = (patch.discoveryUrl !== undefined && patch.discoveryUrl !== current.discoveryUrl) || cachedDiscovery(current) === null;
  const discovery = rediscover ? await fetchDiscovery(patch.discoveryUrl ?? current.discoveryUrl, current.issuer) : undefined;
  const newRef = patch.clientSecret ? await storeSecret(id, patch.clientSecret) : undefined;
  try {
    const row = await db().$transaction(async (tx) => {
      const alias = patch.alias === undefined ? undefined : normaliseAlias(patch.alias) || aliasFromIssuer(current.issuer);
      const primary = current.platformScoped ? false : (patch.primary ?? current.primary);
      await assertNoActiveConflicts(tx, {
        id,
        issuer: current.issuer,
        platformScoped: current.platformScoped,
        primary,
        status: current.status,
      });
      // Compare-and-swap on updated_at: of two concurrent edits exactly one wins, the other is told to reload.
      const { count } = await tx.idpBinding.updateMany({
        where: { id, updatedAt: current.updatedAt },
        data: {
          ...(patch.discoveryUrl !== undefined ? { discoveryUrl: patch.discoveryUrl } : {}),
          ...(patch.clientId !== undefined ? { clientId: patch.clientId } : {}),
          ...(newRef ? { clientSecretRef: newRef } : {}),
          ...(discovery ? { discovery, discoveredAt: new Date() } : {}),
          ...(patch.scopes !== undefined ? { scopes: patch.scopes } : {}),
          ...(patch.claimMappings !== undefined ? { claimMappings: patch.claimMappings } : {}),
          ...(patch.requiredAcr !== undefined ? { requiredAcr: patch.requiredAcr } : {}),
          ...(patch.requiredAmr !== undefined ? { requiredAmr: patch.requiredAmr } : {}),
          ...(patch.jitPolicy !== undefined ? { jitPolicy: patch.jitPolicy } : {}),
          ...(alias !== undefined ? { alias } : {}),
          primary,
          updatedAt: new Date(Math.max(Date.now(), current.updatedAt.getTime() + 1)),
        },
      });
      if (count === 0) throw new ConflictError("binding_conflict", "The identity provider was changed meanwhile; reload and try again.");
      const changed = Object.keys(patch)
        .map((k) => (k === "clientSecret" ? "client secret" : k))
        .join(", ");
      await recordAudit(
        {
          actorId: actor.id,
          action: "idp_binding.update",
          target: { type: "idp_binding", id },
          outcome: "succeeded",
          reason: `changed ${changed}`,
        },
        tx,
      );
      return tx.idpBinding.findUniqueOrThrow({ where: { id } });
    });
    if (newRef) await destroySecret(current.clientSecretRef);
    return row;
  } catch (error) {
    if (newRef) await destroySecret(newRef);
    throw conflictFor(error) ?? error;
  }
}

export async function setBindingStatus(actor: PlatformManager, id: string, status: "active" | "inactive"): Promise<IdpBinding> {
  const current = await getBinding(actor, id);
  if (current.status === status) return current;
  try {
    return await db().$transaction(async (tx) => {
      await assertNoActiveConflicts(tx, { ...current, status });
      const row = await tx.idpBinding.update({ where: { id }, data: { status } });
      await recordAudit(
        {
          actorId: actor.id,
          action: status === "active" ? "idp_binding.activate" : "idp_binding.deactivate",
          target: { type: "idp_binding", id },
          outcome: "succeeded",
        },
        tx,
      );
      return row;
    });
  } catch (error) {
    throw conflictFor(error) ?? error;
  }
}

/** Deletes the binding; people it created keep their accounts (source cleared), its IdP groups go with it. */
export async function deleteBinding(actor: PlatformManager, id: string): Promise<void> {
  const current = await getBinding(actor, id);
  await db().$transaction(async (tx) => {
    const { count } = await tx.idpBinding.deleteMany({ where: { id } });
    if (count === 0) throw new NotFoundError("binding_not_found", "There is no identity provider with this id.");
    await recordAudit(
      {
        actorId: actor.id,
        action: "idp_binding.delete",
        target: { type: "idp_binding", id },
        outcome: "succeeded",
        reason: `alias ${current.alias}`,
      },
      tx,
    );
  });
  await destroySecret(current.clientSecretRef);
}

/**
 * What sign-in needs: active bindings whose discovery is cached, primary first. No authorization: this is the public chooser's list.
 * `platformOnly`: the platform-shared ones alone (the chooser's `scope=platform`, a sign-in tied to no Domain).
 */
export async function activeBindings(filter: { platformOnly?: boolean } = {}): Promise<IdpBinding[]> {
  return db().idpBinding.findMany({
    where: { status: "active", discoveredAt: { not: null }, ...(filter.platformOnly ? { platformScoped: true } : {}) },
    orderBy: [{ primary: "desc" }, { alias: "asc" }],
  });
}

/** One binding by the alias in a callback URL, whatever its status (sign-in refuses an inactive one itself). */
export async function bindingByAlias(alias: string): Promise<IdpBinding | null> {
  return db().idpBinding.findUnique({ where: { alias } });
}

/** The client secret, for the token exchange with the IdP only. */
export async function clientSecretFor(binding: Pick<IdpBinding, "clientSecretRef">): Promise<string> {
  const material = await (await secretStore()).read(binding.clientSecretRef);
  if (!material) throw new Error("the identity provider's client secret is missing from the secret store");
  return new TextDecoder().decode(material.payload);
}

export function jitPolicyOf(binding: Pick<IdpBinding, "jitPolicy">): JitPolicy {
  const parsed = jitPolicySchema.safeParse(binding.jitPolicy);
  // A policy this code cannot read creates nobody.
  return parsed.success ? parsed.data : { mode: "deny" };
}

export function claimMappingsOf(binding: Pick<IdpBinding, "claimMappings">): Required<ClaimMappings> {
  const parsed = claimMappingsSchema.safeParse(binding.claimMappings);
  const mappings = parsed.success ? parsed.data : {};
  return { email: mappings.email ?? "email", name: mappings.name ?? "name", groups: mappings.groups ?? "groups" };
}

export function issuerHost(issuer: string): string {
  try {
    return new URL(issuer).host;
  } catch {
    return issuer;
  }
}

/** The response: listed fields only, never the secret. */
export function bindingToWire(row: IdpBinding) {
  const mappings = claimMappingsSchema.safeParse(row.claimMappings);
  return {
    id: row.id,
    domain_id: row.platformScoped ? null : DEFAULT_DOMAIN_ID,
    issuer: row.issuer,
    client_id: row.clientId,
    client_secret_ref: row.clientSecretRef,
    discovery_url: row.discoveryUrl,
    scopes: row.scopes,
    claim_mappings: Object.fromEntries(
      Object.entries(mappings.success ? mappings.data : {}).filter(([, v]) => typeof v === "string"),
    ) as Record<string, string>,
    required_acr: row.requiredAcr,
    required_amr: row.requiredAmr,
    jit_policy: jitPolicyToWire(jitPolicyOf(row)),
    status: row.status === "active" ? ("active" as const) : ("deactivated" as const),
    alias: row.alias,
    primary: row.primary,
    platform_scoped: row.platformScoped,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** The pre-auth chooser's projection (DomainIdPBinding). */
export function bindingToChooser(row: IdpBinding) {
  return {
    id: row.id,
    alias: row.alias,
    label: row.alias,
    issuer_host: issuerHost(row.issuer),
    primary: row.primary,
    platform_scoped: row.platformScoped,
  };
}
