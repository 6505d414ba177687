import "server-only";
import { MAX_PAYLOAD_BYTES, credentialKeyValuesSchema } from "@/lib/credentials/schema";
import { ValidationError } from "@/lib/errors";
import { KEY_MAX, KEY_VALUE_MAX, KEY_VALUE_ROWS_MAX } from "@/lib/validation";

/**
 * The secret part of an issue or rotate body: base64 payload and optional
 * key-values, checked with the console's rules. Messages name the rule,
 * never the offending key or value: both are secret. The contract takes any
 * non-empty bytes, so over /v1 the provider shape check only advises, unless
 * the Cloud's managers made it strict (lib/credentials/shape.ts).
 */
export function secretInput(body: { payload: string; key_values?: Record<string, string>; allow_unusual_shape?: boolean }) {
  const payload = decodeBase64(body.payload);
  if (!payload || payload.byteLength === 0 || payload.byteLength > MAX_PAYLOAD_BYTES) {
    throw new ValidationError("invalid_payload", `payload must be base64 of 1–${MAX_PAYLOAD_BYTES} bytes`);
  }
  const keyValues = credentialKeyValuesSchema.safeParse(Object.entries(body.key_values ?? {}).map(([key, value]) => ({ key, value })));
  if (!keyValues.success) {
    const rule = `keys are 1–${KEY_MAX} of [A-Za-z0-9_.-], values 1–${KEY_VALUE_MAX} characters, at most ${KEY_VALUE_ROWS_MAX} pairs`;
    throw new ValidationError("invalid_body", `key_values: ${rule}`);
  }
  return { payload, keyValues: keyValues.data, allowUnusualShape: body.allow_unusual_shape === true, shapeCheck: "advise" as const };
}

/** The response header that carries a shape warning (docs/api/contract-differences.md). */
export const SHAPE_WARNING_HEADER = "Plexsphere-Shape-Warning";

/** The answer's headers for a payload stored despite an unusual shape: one line, printable ASCII (it names rules, never values). */
export function shapeWarningHeaders(written: { shapeWarning?: string }): Record<string, string> {
  if (!written.shapeWarning) return {};
  return { [SHAPE_WARNING_HEADER]: written.shapeWarning.replace(/[^\x20-\x7e]/g, "?") };
}

/** Strict standard base64 (RFC 4648 §4), as `format: byte` means. */
export function decodeBase64(value: string): Uint8Array | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value)) return undefined;
  return new Uint8Array(Buffer.from(value, "base64"));
}
