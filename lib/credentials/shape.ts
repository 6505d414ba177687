import "server-only";
import { db } from "@/lib/db/client";
import { ValidationError } from "@/lib/errors";
import type { SecretMaterial } from "@/lib/vault/store";
import { shapeFailures, validatorProvider, validators } from "./validators";

/**
 * Issue and rotate check the material with the same validators "Test" uses
 * (lib/credentials/validators.ts). An operator who knows the shape is unusual
 * says so explicitly (`allowUnusualShape`); the write then goes ahead and the
 * audit entry records that the check was overridden. The refusal names the
 * failing field rules, never a value.
 */
export async function checkProviderShape(cloudId: string, material: SecretMaterial, allowUnusualShape: boolean | undefined): Promise<{ overridden: boolean }> {
  const provider = validatorProvider(await providerOf(cloudId));
  const failures = shapeFailures(provider, material);
  if (failures.length === 0) return { overridden: false };
  if (allowUnusualShape) return { overridden: true };
  const rules = failures.map((check) => check.detail).join("; ");
  const message = `This does not look like ${validators[provider].describe}: ${rules}. If the shape is unusual on purpose, say so explicitly.`;
  throw new ValidationError("invalid_payload", message, { payload: message });
}

/**
 * A Cloud's provider never changes (only its display name can be edited) and
 * its id is never reused, so each instance asks the database once per Cloud:
 * the issue path stays at its two statements. Bounded, so a long-lived
 * server with many Clouds does not grow without limit.
 */
const providers = new Map<string, string>();
const PROVIDERS_KEPT = 10_000;

async function providerOf(cloudId: string): Promise<string> {
  const known = providers.get(cloudId);
  if (known !== undefined) return known;
  const cloud = await db().cloud.findUniqueOrThrow({ where: { id: cloudId }, select: { provider: true } });
  if (providers.size >= PROVIDERS_KEPT) providers.clear();
  providers.set(cloudId, cloud.provider);
  return cloud.provider;
}

/** The audit reason's suffix for an overridden shape check. */
export function overrideNote(shape: { overridden: boolean }): string | undefined {
  return shape.overridden ? "provider shape check overridden" : undefined;
}
