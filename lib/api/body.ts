import "server-only";
import { DomainError } from "@/lib/errors";

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
export async function readOptionalJsonBody(request: Request, limit = MAX_BODY_BYTES): Promise<unknown> {
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
