import { z } from "zod";
import { KEY_VALUE_MAX, KEY_VALUE_ROWS_MAX, displayNameField, keyValueRowsSchema } from "@/lib/validation";
import type { ShapeCheck } from "./shape";

/**
 * The write-only issue form's rules. The browser checks them for quick
 * feedback; the server action checks them again on the bytes it received,
 * after authorization (lib/credentials/actions.ts).
 */
import { MAX_PAYLOAD_BYTES, MAX_TTL_DAYS } from "./limits";

export { MAX_PAYLOAD_BYTES, MAX_TTL_DAYS };

export const credentialDisplayNameSchema = displayNameField();

export const credentialKeyValuesSchema = keyValueRowsSchema({
  maxRows: KEY_VALUE_ROWS_MAX,
  maxValueLength: KEY_VALUE_MAX,
  noun: "key-value",
});

/** `YYYY-MM-DD`, read as 00:00 UTC of that day; empty means the configured default TTL. */
export const expiresOnSchema = z
  .string()
  .trim()
  .optional()
  .refine((v) => !v || /^\d{4}-\d{2}-\d{2}$/.test(v), "Pick a date.")
  .refine(
    (v) => !v || expiryIsInRange(new Date(`${v}T00:00:00Z`), new Date()),
    `Pick a date after today and at most ${MAX_TTL_DAYS} days ahead.`,
  );

/** The latest expiry the one rule allows from today, as `YYYY-MM-DD` for a date input's `max`. */
export function latestExpiryOn(now = new Date()): string {
  return new Date(now.getTime() + MAX_TTL_DAYS * 86_400_000).toISOString().slice(0, 10);
}

/** The one expiry rule, for issue, edit and rotate: in the future, at most MAX_TTL_DAYS from now. */
export function expiryIsInRange(expiresAt: Date, now: Date): boolean {
  const t = expiresAt.getTime();
  return Number.isFinite(t) && t > now.getTime() && t <= now.getTime() + MAX_TTL_DAYS * 86_400_000;
}

export const EXPIRY_RANGE_MESSAGE = `Pick a date after today and at most ${MAX_TTL_DAYS} days ahead.`;

export function payloadSizeError(bytes: number, source: "paste" | "file"): string | undefined {
  if (bytes === 0) return source === "file" ? "The file is empty." : "Paste the secret payload.";
  if (bytes > MAX_PAYLOAD_BYTES) return `The payload is ${bytes} bytes; the limit is ${MAX_PAYLOAD_BYTES}.`;
  return undefined;
}

/** The write-only fields, shared by the issue and rotate forms. */
const secretFields = {
  payload_source: z.enum(["paste", "file"]),
  payload_text: z.string(),
  payload_file: z.custom<File>((v) => typeof File !== "undefined" && v instanceof File).optional(),
  key_values: credentialKeyValuesSchema,
  /** "I know this shape is unusual": write even if the provider shape check fails (audited). */
  allow_unusual_shape: z.boolean().optional(),
};

function refinePayload(form: { payload_source: "paste" | "file"; payload_text: string; payload_file?: File }, ctx: z.RefinementCtx) {
  if (form.payload_source === "paste") {
    const message = payloadSizeError(new TextEncoder().encode(form.payload_text).length, "paste");
    if (message) ctx.addIssue({ code: "custom", path: ["payload_text"], message });
  } else {
    const message = form.payload_file ? payloadSizeError(form.payload_file.size, "file") : "Choose a file.";
    if (message) ctx.addIssue({ code: "custom", path: ["payload_file"], message });
  }
}

/** What the issue form holds while the operator types. */
export const issueCredentialFormSchema = z
  .object({ display_name: credentialDisplayNameSchema, ...secretFields, expires_on: expiresOnSchema })
  .superRefine(refinePayload);

export type IssueCredentialFormValues = z.input<typeof issueCredentialFormSchema>;
export type IssueCredentialFormOutput = z.output<typeof issueCredentialFormSchema>;

/** The rotate form: new material, and the version the operator saw (compare-and-set). */
export const rotateCredentialFormSchema = z
  .object({ expected_version: z.coerce.number().int().min(1), ...secretFields, expires_on: expiresOnSchema })
  .superRefine(refinePayload);

export type RotateCredentialFormValues = z.input<typeof rotateCredentialFormSchema>;
export type RotateCredentialFormOutput = z.output<typeof rotateCredentialFormSchema>;

/** The secret fields as the action reads them, after the schema. */
export type SecretFormOutput = Pick<IssueCredentialFormOutput, "payload_source" | "payload_text" | "payload_file" | "allow_unusual_shape">;

/** Fields every secret form sends, in the shape the server reads them (see issue-form.ts). */
export type SecretFormValues = {
  payload_source: "paste" | "file";
  payload_text: string;
  payload_file?: File;
  key_values: { key: string; value: string }[];
  allow_unusual_shape?: boolean;
};

/** The provider's expected format, as the forms show it: field names only, never a value (validators.ts `expectedFormat`). */
export interface ExpectedFormat {
  describe: string;
  fields: string[];
  placeholder: string;
  /** The provider tools' own spellings that are read too, in a few words. */
  alsoRead: string;
}

/** What the service receives: decoded bytes, never a string that could be logged by accident. */
export interface IssueCredentialInput {
  displayName: string;
  payload: Uint8Array;
  keyValues: Record<string, string>;
  expiresAt?: Date;
  /** The operator said the provider shape check may fail (lib/credentials/shape.ts); audited. */
  allowUnusualShape?: boolean;
  /** What an unusual shape costs through this door (shape.ts): the console refuses (the default), /v1 advises. */
  shapeCheck?: ShapeCheck;
}

/** The revoke form: the reason's rule is the service's (revokeCloudCredential), so its message is the service's too. */
export const credentialRevokeSchema = z.object({ reason: z.string() });
