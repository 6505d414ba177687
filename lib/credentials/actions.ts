"use server";

import { redirect } from "next/navigation";
import type { FormFailure } from "@/lib/actions";
import { requireUser } from "@/lib/auth/session";
import { issueFromForm } from "./issue-form";

/** Issue a Cloud Credential from the write-only form; success lands on its metadata page. */
export async function issueCredentialAction(cloudId: string, form: FormData): Promise<FormFailure> {
  const user = await requireUser();
  const result = await issueFromForm(user, cloudId, form);
  if (!result.ok) return result;
  redirect(`/credentials/${result.credentialId}?issued=1`);
}
