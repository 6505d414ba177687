import "server-only";
import type { z } from "zod";
import { DomainError, ValidationError } from "@/lib/errors";
import { fieldWithReservedKey } from "@/lib/validation";

/**
 * The one way a /v1 body is read: the route declaration (lib/api/route.ts)
 * calls `readDeclaredBody` after the caller is authorized. A body is
 * declared as a wire schema (a JSON body is required), `optionalBody(schema)`
 * (an absent body is `{}`), or a reader of its own for bodies whose first
 * checks are not a schema's (lib/sso/requests.ts).
 */
export type BodySpec = z.ZodType | OptionalBody<z.ZodType> | ((request: Request) => Promise<unknown>);

export interface OptionalBody<Z extends z.ZodType> {
  readonly absentIsEmpty: Z;
}

export type BodyOf<S> = S extends z.ZodType
  ? z.output<S>
  : S extends OptionalBody<infer Z>
    ? z.output<Z>
    : S extends (request: Request) => Promise<infer T>
      ? T
      : undefined;

/** A body the contract lets the client omit (approve, audit verify): absent is `{}`, present must be JSON that matches. */
export const optionalBody = <Z extends z.ZodType>(schema: Z): OptionalBody<Z> => ({ absentIsEmpty: schema });

export async function readDeclaredBody(request: Request, spec: BodySpec | undefined): Promise<unknown> {
  if (spec === undefined) return undefined;
  if (typeof spec === "function") return spec(request);
  if ("absentIsEmpty" in spec) return checkBody((await readOptionalJsonBody(request)) ?? {}, spec.absentIsEmpty);
  return checkBody(await readJsonBody(request), spec);
}

/** Checks a parsed body against a wire schema; any mismatch is 400 invalid_body, naming fields only. */
export function checkBody<S extends z.ZodType>(raw: unknown, schema: S): z.output<S> {
  // Refused, not parsed: zod would drop a "__proto__" key silently and the caller would be told 201.
  const reserved = fieldWithReservedKey(raw);
  if (reserved !== undefined)
    throw new ValidationError("invalid_body", `the body does not match the schema at: ${reserved} (a key uses a reserved name)`);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    // Top-level field names only: deeper path segments can be key-value keys, which are secret.
    const fields = [
      ...new Set(
        parsed.error.issues.map((i) =>
          i.path.length > 0 ? String(i.path[0]) : i.code === "unrecognized_keys" ? "unknown properties" : "body",
        ),
      ),
    ];
    throw new ValidationError("invalid_body", `the body does not match the schema at: ${fields.join("; ")}`);
  }
  return parsed.data;
}

/** The contract's request ceiling for catalog writes. */
export const MAX_BODY_BYTES = 8 * 1024;

export class BodyTooLargeError extends DomainError {
  constructor(limit: number) {
    super("request_body_too_large", `the request body exceeds the ${limit / 1024} KiB ceiling`, 413);
  }
}

/**
 * Reads a JSON body, counting bytes as they stream in and stopping at the
 * ceiling: a missing, false or chunked Content-Length changes nothing.
 * Call it only after the caller has been authorized for the resource.
 */
export async function readJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  if (!declaresJson(request)) throw unsupportedMediaType();
  return parseJson(await readBodyText(request, limit));
}

/**
 * For operations whose body is optional (approve has none in the contract):
 * an absent or empty body, with or without a Content-Type, is `undefined`;
 * any bytes at all must be declared JSON like every other body.
 */
async function readOptionalJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readBodyText(request, limit);
  if (text.length === 0) return undefined;
  if (!declaresJson(request)) throw unsupportedMediaType();
  return parseJson(text);
}

const declaresJson = (request: Request) => /^application\/(.+\+)?json\s*(;|$)/i.test(request.headers.get("content-type") ?? "");
const unsupportedMediaType = () => new DomainError("unsupported_media_type", "the request body must be application/json", 415);

/** The body as text, counting bytes as they stream in and stopping at the ceiling. */
async function readBodyText(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);

  const chunks: Uint8Array[] = [];
  let received = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > limit) {
        await reader.cancel().catch(() => {});
        throw new BodyTooLargeError(limit);
      }
      chunks.push(value);
    }
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Never echo the body: it may be secret material.
    throw new DomainError("invalid_body", "the request body is not valid JSON", 400);
  }
}
