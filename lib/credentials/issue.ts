import "server-only";
import { v7 as uuidv7 } from "uuid";
import { auditEntryData } from "@/lib/audit/service";
import { denial, permissionCondition, questionKey, type Actor, type Preauthorization } from "@/lib/authz/service";
import { db, queryRows } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { ValidationError } from "@/lib/errors";
import { log } from "@/lib/log";
import { isUuid } from "@/lib/validation";
import { credentialSecretPath, secretStore, type SecretStore } from "@/lib/vault";
import { EXPIRY_RANGE_MESSAGE, MAX_PAYLOAD_BYTES, credentialDisplayNameSchema, expiryIsInRange, type IssueCredentialInput } from "./schema";
import { checkProviderShape, shapeNote, type CloudShapePolicy } from "./shape";
import { CREDENTIAL_COLUMNS, toView, type CredentialRow, type CredentialView } from "./row";
import { DISPLAY_NAME_MAX } from "@/lib/limits";

/** Seams for tests that inject failures or time; production uses the defaults. */
export interface IssueDependencies {
  store?: SecretStore;
  now?: () => Date;
  newId?: () => string;
}

/** A credential just written, and the shape warning its door asked for (shape.ts); never part of a read. */
export type WrittenCredential = CredentialView & { shapeWarning?: string };

/** Proof that the actor may issue under one Cloud; the only way to reach `issue`. */
export interface CredentialIssuer {
  readonly cloudId: string;
  issue(input: IssueCredentialInput): Promise<WrittenCredential>;
}

/**
 * The question issuing asks, as one SQL expression on a user id: the Cloud's
 * provider (with ` strict` when its managers turned strict shape checking
 * on) when the Cloud exists and the user holds `manage` on it, else NULL. The /v1 issue route asks it in the same query that reads the bearer
 * token (lib/api/route.ts), so issuing costs one query before the secret is
 * written, provider shape check included; a server action asks it here.
 */
export function issueQuestion(cloudId: string): Preauthorization | undefined {
  if (!isUuid(cloudId)) return undefined;
  return {
    key: `issue:${questionKey("manage", { type: "cloud", id: cloudId })}`,
    condition: (subject) =>
      Prisma.sql`(SELECT c.provider::text || CASE WHEN c.strict_payload_shape THEN ' strict' ELSE '' END FROM clouds c WHERE c.id =
      ${cloudId}::uuid AND ${permissionCondition(subject, "manage", "cloud", Prisma.sql`c.id`)})`,
  };
}

/**
 * Step one of issuing: check `manage` on the Cloud before anything reads the
 * secret. A Cloud that does not exist is denied exactly like one the actor
 * may not manage.
 */
export async function authorizeIssue(actor: Actor, cloudId: string, deps: IssueDependencies = {}): Promise<CredentialIssuer> {
  const question = issueQuestion(cloudId);
  let provider = question ? actor.answered?.get(question.key) : null;
  if ((provider === undefined || provider === null) && question) {
    const [row] = await db().$queryRaw<{ provider: string | null }[]>`SELECT ${question.condition(Prisma.sql`${actor.id}`)} AS provider`;
    provider = row?.provider ?? null;
  }
  if (typeof provider !== "string") throw await denial(actor, "manage", { type: "cloud", id: cloudId });
  const [name, strict] = provider.split(" ");
  const policy: CloudShapePolicy = { provider: name, strictPayloadShape: strict === "strict" };
  return { cloudId, issue: (input) => issue(actor, cloudId, policy, input, deps) };
}

/**
 * Step two: write the material as version 1 (cas 0) at a path made of ids,
 * then commit the metadata row. If the row cannot commit, the secret is
 * destroyed again, so neither side is left without the other.
 */
async function issue(
  actor: Actor,
  cloudId: string,
  cloud: CloudShapePolicy,
  input: IssueCredentialInput,
  deps: IssueDependencies,
): Promise<WrittenCredential> {
  const now = deps.now?.() ?? new Date();
  const expiresAt = input.expiresAt ?? new Date(now.getTime() + env().credentialDefaultTtlDays * 86_400_000);
  const displayName = assertIssuable(input, expiresAt, now);

  const shape = checkProviderShape(cloud, { payload: input.payload, keyValues: input.keyValues }, input);

  const store = deps.store ?? (await secretStore());
  const id = deps.newId?.() ?? uuidv7();
  const path = credentialSecretPath(cloudId, id);
  const written = await store.create(path, { payload: input.payload, keyValues: input.keyValues });

  try {
    // The row and its audit entry in one statement: atomic without a transaction's four round trips.
    const audit = await auditEntryData({
      actorId: actor.id,
      action: "credential.issue",
      target: { type: "cloud_credential", id },
      cloudId,
      outcome: "succeeded",
      reason: shapeNote(shape),
    });
    const [row] = await queryRows<CredentialRow>(Prisma.sql`
      WITH c AS (
        INSERT INTO cloud_credentials (id, cloud_id, display_name, version, expires_at, issued_by_id, created_at, updated_at)
        VALUES (${id}::uuid, ${cloudId}::uuid, ${displayName}, ${written.version}, ${expiresAt}, ${actor.id}::uuid, ${now}, ${now})
        RETURNING *
      ), entry AS (
        INSERT INTO audit_entries (id, at, actor_id, action, target_type, target_id, cloud_id, outcome, reason, correlation_id, repeat_count, mac)
        SELECT ${audit.id}::uuid, ${audit.at}, ${audit.actorId}::uuid, ${audit.action}, ${audit.targetType}, ${audit.targetId}, c.cloud_id, ${audit.outcome},
               ${audit.reason}, ${audit.correlationId}, ${audit.repeatCount}, ${audit.mac}
          FROM c
      )
      -- A new credential owes the engine nothing: the outbox columns are constants, not a join.
      SELECT ${CREDENTIAL_COLUMNS} FROM c CROSS JOIN (SELECT NULL::uuid AS credential_id, NULL::timestamptz AS completed_at) r`);
    log.info("cloud_credential.issued", { credential_id: id, cloud_id: cloudId, actor_id: actor.id });
    return { ...toView(row, now), ...(shape.warning ? { shapeWarning: shape.warning } : {}) };
  } catch (error) {
    await store.destroy(path).catch(() => {
      // The row is gone and so is our chance to retry: say which id to clean up, nothing more.
      log.error("cloud_credential.orphaned_secret", { credential_id: id, cloud_id: cloudId });
    });
    throw error;
  }
}

/** The service's own guard, whatever door the input came through; returns the trimmed name. */
function assertIssuable(input: IssueCredentialInput, expiresAt: Date, now: Date): string {
  const checked = credentialDisplayNameSchema.safeParse(input.displayName);
  if (!checked.success) {
    throw new ValidationError("invalid_display_name", `The display name must be 1–${DISPLAY_NAME_MAX} printable characters, not blank.`, {
      display_name: checked.error.issues[0]?.message ?? "Enter a display name.",
    });
  }
  const name = checked.data;
  if (input.payload.byteLength === 0 || input.payload.byteLength > MAX_PAYLOAD_BYTES) {
    throw new ValidationError("invalid_payload", `The payload must be 1–${MAX_PAYLOAD_BYTES} bytes.`, {
      payload: `The payload must be 1–${MAX_PAYLOAD_BYTES} bytes.`,
    });
  }
  assertExpiryInRange(expiresAt, now);
  return name;
}

/** Issue, edit and rotate share the one expiry rule (schema.ts `expiryIsInRange`) and its refusal. */
export function assertExpiryInRange(expiresAt: Date, now: Date): void {
  if (!expiryIsInRange(expiresAt, now)) {
    throw new ValidationError("invalid_expiry", "The expiry must be in the future and at most a year ahead.", {
      expires_on: EXPIRY_RANGE_MESSAGE,
    });
  }
}
