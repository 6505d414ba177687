import "server-only";
import { formFailure, type FormFailure } from "@/lib/actions";
import type { Actor } from "@/lib/authz/service";
import { fieldErrorsOf } from "@/lib/validation";
import { issueCredentialFormSchema, payloadSizeError, type IssueCredentialInput } from "./schema";
import { authorizeIssue, type IssueDependencies } from "./service";

/**
 * The issue form's work, behind the server action. Order matters: `manage`
 * on the Cloud first, and only then is any field of the form read. The
 * answer carries fixed messages only, never a submitted value.
 */
export async function issueFromForm(
  actor: Actor,
  cloudId: string,
  form: FormData,
  deps: IssueDependencies = {},
): Promise<{ ok: true; credentialId: string } | FormFailure> {
  let issuer;
  try {
    issuer = await authorizeIssue(actor, cloudId, deps);
  } catch (error) {
    return formFailure(error, "issueCredential");
  }

  const parsed = await readIssueForm(form);
  if (!parsed.ok) return parsed;

  try {
    return { ok: true, credentialId: (await issuer.issue(parsed.input)).id };
  } catch (error) {
    return formFailure(error, "issueCredential");
  }
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
