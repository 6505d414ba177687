import "server-only";
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { randomUUID } from "node:crypto";
import { problemBody } from "./problem-body";
import { CORRELATION_HEADER, correlationId } from "./correlation";
import { API_HEADERS, isApiPath, SECURITY_HEADERS } from "./security-headers";

/**
 * Hostile requests Next cannot represent, answered at the HTTP server before
 * Next sees them. Without this, `TRACE` (a method the fetch Request refuses)
 * and a malformed percent-encoding (`/v1/x/%ff`, which Next's router fails
 * to decode) are 500s, and what Node's parser refuses (an unknown method,
 * headers over its limit) is an empty 400 or 431. Each is a problem answer
 * with the security headers instead.
 *
 * The server entry (server.ts) owns the listener, so it asks here first
 * for every request (`admitRequest`) and hands what Node's parser refused
 * (the server's `clientError` event) to `answerClientError`.
 */
const SERVED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const SERVED = new Set(SERVED_METHODS);

interface Refusal {
  status: number;
  code: string;
  detail: string;
  headers?: Record<string, string>;
}

/** Why a request must be refused before routing, if it must. */
export function refusalFor(method: string | undefined, url: string | undefined): Refusal | undefined {
  if (!method || !SERVED.has(method)) {
    return {
      status: 405,
      code: "method_not_allowed",
      detail: "this method is not served here",
      headers: { allow: SERVED_METHODS.join(", ") },
    };
  }
  try {
    decodeURIComponent(new URL(url ?? "/", "http://localhost").pathname);
  } catch {
    return { status: 400, code: "invalid_path", detail: "the path is not valid percent-encoded UTF-8" };
  }
  return undefined;
}

function instanceOf(url: string | undefined): string {
  const path = (url ?? "/").split("?")[0];
  // The raw path as sent, minus anything that is not printable ASCII.
  return path.replace(/[^\x21-\x7e]/g, "").slice(0, 512) || "/";
}

function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal) {
  const id = correlationId();
  const body = JSON.stringify(problemBody(refusal.status, refusal.code, refusal.detail, instanceOf(req.url), id));
  res.writeHead(refusal.status, {
    ...API_HEADERS,
    ...refusal.headers,
    [CORRELATION_HEADER]: id,
    "content-type": "application/problem+json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(req.method === "HEAD" ? undefined : body);
}

/** What Node's parser refused: answered as a problem on the raw socket, which then closes. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket) {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, detail] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "request_header_too_large", "the request headers exceed the server's limit"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "request_timeout", "the request did not arrive in time"]
        : [400, "malformed_request", "the request is not valid HTTP/1.1"];
  // No request was parsed, so none got an id at the front door: this answer is its own.
  const id = randomUUID();
  const body = JSON.stringify(problemBody(status, code, detail, "/", id));
  const headers = {
    ...API_HEADERS,
    [CORRELATION_HEADER]: id,
    "content-type": "application/problem+json",
    "content-length": String(Buffer.byteLength(body)),
    connection: "close",
  };
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join("\r\n")}\r\n\r\n${body}`,
  );
}

/**
 * The edge's part of a request, run by the server entry (server.ts) before
 * any routing: a refusal answered here, or the default headers set and
 * `true` to say the request goes on.
 */
export function admitRequest(req: IncomingMessage, res: ServerResponse): boolean {
  const refusal = refusalFor(req.method, req.url);
  if (refusal) {
    refuse(req, res, refusal);
    return false;
  }
  // Defaults for what Next answers before its proxy runs (its redirect of "//" paths, say); Next's own headers win.
  const api = isApiPath((req.url ?? "/").split("?")[0]);
  for (const [name, value] of Object.entries(api ? API_HEADERS : SECURITY_HEADERS)) res.setHeader(name, value);
  return true;
}
