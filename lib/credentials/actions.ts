"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { requireActionUser } from "@/lib/action-user";
import { formFailure, type FormFailure } from "@/lib/actions";
import { fieldErrorsOf } from "@/lib/validation";
import { issueFromForm, rotateFromForm } from "./issue-form";
import { updateCredentialMetadata } from "./lifecycle";
import { validateCloudCredential, type ValidationResult } from "./validate";
import { credentialDisplayNameSchema, expiresOnSchema } from "./schema";
import { revokeCloudCredential } from "./revoke";

/** Issue a Cloud Credential from the write-only form; success lands on its metadata page. */
export async function issueCredentialAction(cloudId: string, form: FormData): Promise<FormFailure> {
  const user = await requireActionUser();
  const result = await issueFromForm(user, cloudId, form);
  if (!result.ok) return result;
  redirect(`/credentials/${result.credentialId}?issued=1`);
}

/** Rotate to new material (write-only, like issue); the answer carries only the new version. */
export async function rotateCredentialAction(credentialId: string, form: FormData): Promise<FormFailure | { ok: true; version: number }> {
  const user = await requireActionUser();
  const result = await rotateFromForm(user, credentialId, form);
  if (result.ok) revalidatePath(`/credentials/${credentialId}`);
  return result;
}

const editSchema = z.object({
  display_name: credentialDisplayNameSchema.optional(),
  expires_on: expiresOnSchema,
});

/** Rename, or move the expiry closer or later (renew, up to a year from now); the secret is untouched. */
export async function updateCredentialAction(credentialId: string, values: unknown): Promise<FormFailure | { ok: true }> {
  const user = await requireActionUser();
  const parsed = editSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    await updateCredentialMetadata(user, credentialId, {
      displayName: parsed.data.display_name,
      expiresAt: parsed.data.expires_on ? new Date(`${parsed.data.expires_on}T00:00:00Z`) : undefined,
    });
  } catch (error) {
    return formFailure(error, "updateCredential");
  }
  revalidatePath(`/credentials/${credentialId}`);
  return { ok: true };
}

/** Revoke with a stated reason: stamps revoked_at and soft-deletes the secret. */
export async function revokeCredentialAction(credentialId: string, values: unknown): Promise<FormFailure | { ok: true }> {
  const user = await requireActionUser();
  const reason = z.object({ reason: z.string() }).safeParse(values);
  try {
    await revokeCloudCredential(user, credentialId, reason.success ? reason.data.reason : "");
  } catch (error) {
    return formFailure(error, "revokeCredential");
  }
  revalidatePath(`/credentials/${credentialId}`);
  return { ok: true };
}

/** "Test": the checks' names and rules, never a value. */
export async function validateCredentialAction(credentialId: string): Promise<FormFailure | ({ ok: true } & ValidationResult)> {
  const user = await requireActionUser();
  try {
    return { ok: true, ...(await validateCloudCredential(user, credentialId)) };
  } catch (error) {
    return formFailure(error, "validateCredential");
  }
}
