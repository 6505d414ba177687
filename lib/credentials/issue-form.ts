import "server-only";
import type { z } from "zod";
import { formFailure, type FormFailure } from "@/lib/actions";
import type { Actor } from "@/lib/authz/service";
import { fieldErrorsOf } from "@/lib/validation";
import type { SecretStore } from "@/lib/vault";
import { authorizeRotate } from "./rotate";
import { issueCredentialFormSchema, payloadSizeError, rotateCredentialFormSchema, type IssueCredentialInput } from "./schema";
import { authorizeIssue, type IssueDependencies } from "./issue";

/**
 * The write-only forms' work, behind the server actions. Order matters:
 * `manage` on the Cloud first, and only then is any field of the form read.
 * Answers carry fixed messages only, never a submitted value.
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
  const read = await readSecretForm(form, issueCredentialFormSchema, {
    display_name: stringField(form, "display_name"),
    expires_on: stringField(form, "expires_on") || undefined,
  });
  if (!read.ok) return read;
  const { display_name, expires_on } = read.fields;
  const input: IssueCredentialInput = {
    displayName: display_name,
    payload: read.payload,
    keyValues: read.fields.key_values,
    expiresAt: expires_on ? new Date(`${expires_on}T00:00:00Z`) : undefined,
    allowUnusualShape: checkbox(form, "allow_unusual_shape"),
  };
  try {
    return { ok: true, credentialId: (await issuer.issue(input)).id };
  } catch (error) {
    return onPayloadField(formFailure(error, "issueCredential"), read.fields.payload_source);
  }
}

export async function rotateFromForm(
  actor: Actor,
  credentialId: string,
  form: FormData,
  deps: { store?: SecretStore } = {},
): Promise<{ ok: true; version: number } | FormFailure> {
  let rotator;
  try {
    rotator = await authorizeRotate(actor, credentialId, deps);
  } catch (error) {
    return formFailure(error, "rotateCredential");
  }
  const read = await readSecretForm(form, rotateCredentialFormSchema, {
    expected_version: stringField(form, "expected_version"),
    expires_on: stringField(form, "expires_on") || undefined,
  });
  if (!read.ok) return read;
  try {
    const rotated = await rotator.rotate({
      expectedVersion: read.fields.expected_version,
      payload: read.payload,
      keyValues: read.fields.key_values,
      expiresAt: read.fields.expires_on ? new Date(`${read.fields.expires_on}T00:00:00Z`) : undefined,
      allowUnusualShape: checkbox(form, "allow_unusual_shape"),
    });
    return { ok: true, version: rotated.version };
  } catch (error) {
    return onPayloadField(formFailure(error, "rotateCredential"), read.fields.payload_source);
  }
}

type SecretFormSchema = typeof issueCredentialFormSchema | typeof rotateCredentialFormSchema;

async function readSecretForm<S extends SecretFormSchema>(
  form: FormData,
  schema: S,
  extra: Record<string, unknown>,
): Promise<{ ok: true; fields: z.output<S>; payload: Uint8Array } | FormFailure> {
  let keyValueRows: unknown;
  try {
    keyValueRows = JSON.parse(stringField(form, "key_values") || "[]");
  } catch {
    return { ok: false, fieldErrors: { key_values: "The key-values could not be read." } };
  }
  const file = form.get("payload_file");
  const parsed = schema.safeParse({
    ...extra,
    payload_source: stringField(form, "payload_source"),
    payload_text: stringField(form, "payload_text"),
    payload_file: file instanceof File ? file : undefined,
    key_values: keyValueRows,
  });
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };

  const { payload_source: source, payload_text: text, payload_file: upload } = parsed.data;
  const payload = source === "file" && upload ? new Uint8Array(await upload.arrayBuffer()) : new TextEncoder().encode(text);
  // The declared file size is the browser's word; the bytes we hold are the truth.
  const sizeError = payloadSizeError(payload.byteLength, source);
  if (sizeError) return { ok: false, fieldErrors: { [source === "file" ? "payload_file" : "payload_text"]: sizeError } };
  return { ok: true, fields: parsed.data as z.output<S>, payload };
}

/** The service names the payload; the form has a pasted and a file field, and the message belongs on the one used. */
function onPayloadField(failure: FormFailure, source: "paste" | "file"): FormFailure {
  const { payload, ...rest } = failure.fieldErrors;
  if (payload === undefined) return failure;
  return { ...failure, fieldErrors: { ...rest, [source === "file" ? "payload_file" : "payload_text"]: payload } };
}

function checkbox(form: FormData, name: string): boolean {
  return stringField(form, name) === "on";
}

function stringField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}
