import "server-only";
import type { z } from "zod";
import { DomainError, ValidationError } from "@/lib/errors";
import { fieldWithReservedKey, isUuid } from "@/lib/validation";
import { readJsonBody } from "./body";

/** Reads and checks a JSON body against a wire schema (see checkBody). */
export async function readBody<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  return checkBody(await readJsonBody(request), schema);
}

/** Checks a parsed body against a wire schema; any mismatch is 400 invalid_body, naming fields only. */
export function checkBody<S extends z.ZodType>(raw: unknown, schema: S): z.output<S> {
  // Refused, not parsed: zod would drop a "__proto__" key silently and the caller would be told 201.
  const reserved = fieldWithReservedKey(raw);
  if (reserved !== undefined) throw new ValidationError("invalid_body", `the body does not match the schema at: ${reserved} (a key uses a reserved name)`);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    // Top-level field names only: deeper path segments can be key-value keys, which are secret.
    const fields = [...new Set(parsed.error.issues.map((i) => (i.path.length > 0 ? String(i.path[0]) : i.code === "unrecognized_keys" ? "unknown properties" : "body")))];
    throw new ValidationError("invalid_body", `the body does not match the schema at: ${fields.join("; ")}`);
  }
  return parsed.data;
}

/** A path id that is not a UUID is a 400 with the contract's code (e.g. invalid_cloud_id). */
export function pathId(value: string, code: string): string {
  if (!isUuid(value)) throw new DomainError(code, "the id in the path is not a UUID", 400);
  return value.toLowerCase();
}

/** Strict standard base64 (RFC 4648 §4), as `format: byte` means. */
export function decodeBase64(value: string): Uint8Array | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value)) return undefined;
  return new Uint8Array(Buffer.from(value, "base64"));
}
