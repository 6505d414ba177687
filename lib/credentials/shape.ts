import "server-only";
import { db } from "@/lib/db/client";
import { ValidationError } from "@/lib/errors";
import type { SecretMaterial } from "@/lib/vault/store";
import { shapeFailures, validatorProvider, validators } from "./validators";

/**
 * Issue and rotate check the material with the same validators "Test" uses
 * (lib/credentials/validators.ts). What an unusual shape costs depends on
 * the door and the Cloud:
 * - `refuse` (the console's forms, and every door of a Cloud whose managers
 *   turned strict checking on): 400 invalid_payload, unless the operator says
 *   the shape is unusual on purpose (`allowUnusualShape`); the write then
 *   goes ahead and the audit entry records the override.
 * - `advise` (/v1 and so plexctl, on a Cloud that is not strict): the
 *   contract takes any non-empty bytes, so they are written and the answer
 *   carries the same words as a warning.
 * The words name the failing field rules, never a value.
 */
export type ShapeCheck = "refuse" | "advise";

/** What the check decided: an override to audit, or a warning for the answer. */
export interface ShapeOutcome {
  overridden: boolean;
  warning?: string;
}

export interface CloudShapePolicy {
  provider: string;
  strictPayloadShape: boolean;
}

export function checkProviderShape(
  cloud: CloudShapePolicy,
  material: SecretMaterial,
  options: { allowUnusualShape?: boolean; shapeCheck?: ShapeCheck },
): ShapeOutcome {
  const name = validatorProvider(cloud.provider);
  const failures = shapeFailures(name, material);
  if (failures.length === 0) return { overridden: false };
  if (options.allowUnusualShape) return { overridden: true };
  const rules = failures.map((check) => check.detail).join("; ");
  if (options.shapeCheck === "advise" && !cloud.strictPayloadShape) {
    return { overridden: false, warning: `This does not look like ${validators[name].describe}: ${rules}. It was stored as sent.` };
  }
  const message = `This does not look like ${validators[name].describe}: ${rules}. If the shape is unusual on purpose, say so explicitly.`;
  throw new ValidationError("invalid_payload", message, { payload: message });
}

/** The same check where the Cloud is not at hand yet (rotate): one read of the Cloud. */
export async function checkProviderShapeOfCloud(
  cloudId: string,
  material: SecretMaterial,
  options: { allowUnusualShape?: boolean; shapeCheck?: ShapeCheck },
): Promise<ShapeOutcome> {
  const cloud = await db().cloud.findUniqueOrThrow({ where: { id: cloudId }, select: { provider: true, strictPayloadShape: true } });
  return checkProviderShape(cloud, material, options);
}

/** The audit reason's note on the shape: an override, or a payload stored with a warning. */
export function shapeNote(shape: ShapeOutcome): string | undefined {
  if (shape.overridden) return "provider shape check overridden";
  return shape.warning ? "stored with a provider shape warning" : undefined;
}
