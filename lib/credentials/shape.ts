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
export function checkProviderShape(provider: string, material: SecretMaterial, allowUnusualShape: boolean | undefined): { overridden: boolean } {
  const name = validatorProvider(provider);
  const failures = shapeFailures(name, material);
  if (failures.length === 0) return { overridden: false };
  if (allowUnusualShape) return { overridden: true };
  const rules = failures.map((check) => check.detail).join("; ");
  const message = `This does not look like ${validators[name].describe}: ${rules}. If the shape is unusual on purpose, say so explicitly.`;
  throw new ValidationError("invalid_payload", message, { payload: message });
}

/** The same check where the Cloud's provider is not at hand yet (rotate): one read of the Cloud. */
export async function checkProviderShapeOfCloud(cloudId: string, material: SecretMaterial, allowUnusualShape: boolean | undefined): Promise<{ overridden: boolean }> {
  const cloud = await db().cloud.findUniqueOrThrow({ where: { id: cloudId }, select: { provider: true } });
  return checkProviderShape(cloud.provider, material, allowUnusualShape);
}

/** The audit reason's suffix for an overridden shape check. */
export function overrideNote(shape: { overridden: boolean }): string | undefined {
  return shape.overridden ? "provider shape check overridden" : undefined;
}
