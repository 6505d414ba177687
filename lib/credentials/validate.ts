import "server-only";
import { recordAudit } from "@/lib/audit/service";
import type { Actor } from "@/lib/authz/service";
import { db } from "@/lib/db/client";
import { credentialSecretPath, secretStore, type SecretStore } from "@/lib/vault";
import { getCloudCredential, managedCredential } from "./read";
import { formatCheck, materialFields, validatorProvider, validators, type ValidationCheck } from "./validators";

export interface ValidationResult {
  valid: boolean;
  provider: string;
  checks: ValidationCheck[];
}

/**
 * "Test": reads the stored material inside the server, checks that the
 * engine still holds it and that it has the provider's shape, and answers
 * with check names and rules only. Needs manage on the Cloud (it reads the
 * secret); the outcome is recorded.
 */
export async function validateCloudCredential(
  actor: Actor,
  credentialId: string,
  deps: { store?: SecretStore } = {},
): Promise<ValidationResult> {
  return (await authorizeValidate(actor, credentialId, deps)).validate();
}

/** Proof that the actor may test one credential (it reads the secret); the only way to reach `validate`. */
export interface CredentialTester {
  readonly credentialId: string;
  validate(): Promise<ValidationResult>;
}

export async function authorizeValidate(actor: Actor, credentialId: string, deps: { store?: SecretStore } = {}): Promise<CredentialTester> {
  const owner = await managedCredential(actor, credentialId);
  return { credentialId: owner.id, validate: () => validate(actor, owner, deps) };
}

async function validate(actor: Actor, owner: { id: string; cloudId: string }, deps: { store?: SecretStore }): Promise<ValidationResult> {
  const credentialId = owner.id;
  const credential = await getCloudCredential(actor, credentialId);
  const cloud = await db().cloud.findUniqueOrThrow({ where: { id: owner.cloudId }, select: { provider: true } });
  const provider = validatorProvider(cloud.provider);
  const validator = validators[provider];
  const store = deps.store ?? (await secretStore());
  const material = credential.status === "revoked" ? null : await store.read(credentialSecretPath(owner.cloudId, credentialId));

  const checks: ValidationCheck[] = [
    material
      ? { name: "secrets engine", ok: true, detail: `version ${credential.version} is held by the secrets engine` }
      : { name: "secrets engine", ok: false, detail: "the secrets engine no longer holds this credential's material" },
  ];
  if (material) {
    const { fields, format } = materialFields(provider, material);
    const { name, ok, detail } = formatCheck(provider, format);
    checks.push({ name, ok, detail });
    // Only name, outcome and rule leave the service (the structural mark is for issue and rotate).
    checks.push(...validator.shape(fields).map(({ name, ok, detail }) => ({ name, ok, detail })));
    if (validator.live) checks.push(await validator.live(material));
  }
  const valid = checks.every((c) => c.ok);
  await recordAudit({
    actorId: actor.id,
    action: "credential.validate",
    target: { type: "cloud_credential", id: credentialId },
    cloudId: owner.cloudId,
    outcome: valid ? "succeeded" : "failed",
    reason: valid
      ? undefined
      : `failed: ${checks
          .filter((c) => !c.ok)
          .map((c) => c.name)
          .join(", ")}`,
  });
  return { valid, provider, checks };
}
