"use server";

import { redirect } from "next/navigation";
import { formFailure, type FormFailure } from "@/lib/actions";
import { requireUser } from "@/lib/auth/session";
import { fieldErrorsOf } from "@/lib/validation";
import { issueCredentialFormSchema, payloadSizeError, type IssueCredentialInput } from "./schema";
import { authorizeIssue } from "./service";

/**
 * Issue a Cloud Credential from the write-only form. Order matters: sign-in,
 * then `manage` on the Cloud, and only then is a secret field of the form
 * touched. The answer carries fixed messages only; success redirects to the
 * credential's metadata page.
 */
export async function issueCredentialAction(cloudId: string, form: FormData): Promise<FormFailure> {
  const user = await requireUser();
  let issuer;
  try {
    issuer = await authorizeIssue(user, cloudId);
  } catch (error) {
    return formFailure(error, "issueCredential");
  }

  const parsed = await readIssueForm(form);
  if (!parsed.ok) return parsed;

  let credentialId: string;
  try {
    credentialId = (await issuer.issue(parsed.input)).id;
  } catch (error) {
    return formFailure(error, "issueCredential");
  }
  redirect(`/credentials/${credentialId}?issued=1`);
}

async function readIssueForm(form: FormData): Promise<{ ok: true; input: IssueCredentialInput } | FormFailure> {
  let keyValueRows: unknown;
  try {
    keyValueRows = JSON.parse(stringField(form, "key_values") || "[]");
  } catch {
    return { ok: false, fieldErrors: { key_values: "The key-values could not be read." } };
  }
  const file = form.get("payload_file");
  const parsed = issueCredentialFormSchema.safeParse({
    display_name: stringField(form, "display_name"),
    payload_source: stringField(form, "payload_source"),
    payload_text: stringField(form, "payload_text"),
    payload_file: file instanceof File ? file : undefined,
    key_values: keyValueRows,
    expires_on: stringField(form, "expires_on") || undefined,
  });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };

  const { payload_source: source, payload_text: text, payload_file: upload } = parsed.data;
  const payload = source === "file" && upload ? new Uint8Array(await upload.arrayBuffer()) : new TextEncoder().encode(text);
  // The declared file size is the browser's word; the bytes we hold are the truth.
  const sizeError = payloadSizeError(payload.byteLength, source);
  if (sizeError) return { ok: false, fieldErrors: { [source === "file" ? "payload_file" : "payload_text"]: sizeError } };

  return {
    ok: true,
    input: {
      displayName: parsed.data.display_name,
      payload,
      keyValues: parsed.data.key_values,
      expiresAt: parsed.data.expires_on ? new Date(`${parsed.data.expires_on}T00:00:00Z`) : undefined,
    },
  };
}

function stringField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
