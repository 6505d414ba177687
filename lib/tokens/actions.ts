"use server";

import { revalidatePath } from "next/cache";
import { requireActionUser } from "@/lib/action-user";
import { formFailure, type FormFailure } from "@/lib/actions";
import { fieldErrorsOf } from "@/lib/validation";
import { createTokenSchema } from "./schema";
import { issueToken, revokeToken } from "./service";

/** The plaintext travels in this one answer and is never retrievable again. */
export type CreatedToken = { ok: true; id: string; plaintext: string; expiresAt: string };

export async function createTokenAction(values: unknown): Promise<CreatedToken | FormFailure> {
  const user = await requireActionUser();
  const parsed = createTokenSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    const token = await issueToken(user, { name: parsed.data.name, envPrefix: parsed.data.env_prefix, ttlSeconds: parsed.data.ttl_days * 86_400 });
    revalidatePath("/settings/tokens");
    return { ok: true, id: token.id, plaintext: token.plaintext, expiresAt: token.expiresAt.toISOString() };
  } catch (error) {
    return formFailure(error, "createToken");
  }
}

/** Revokes one of the signed-in user's own tokens (another user's id is "not found"). */
export async function revokeTokenAction(tokenId: string): Promise<FormFailure | { ok: true }> {
  const user = await requireActionUser();
  try {
    await revokeToken(user, tokenId);
  } catch (error) {
    return formFailure(error, "revokeToken");
  }
  revalidatePath("/settings/tokens");
  return { ok: true };
}
