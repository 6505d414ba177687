import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { describe, test } from "node:test";
import {
  ConflictError,
  DomainError,
  NotFoundError,
  PermissionDeniedError,
  ThrottledError,
  UnauthenticatedError,
  ValidationError,
} from "@/lib/errors";
import { CORRELATION_HEADER, withCorrelationId } from "@/lib/http/correlation";
import { admitRequest, answerClientError } from "@/lib/http/edge";
import { BodyTooLargeError } from "./body";
import { permissionDenied, problem, problemFromError } from "./problem";
import { methodsNotAllowed } from "./route";

/**
 * The newest contract requires `correlation_id` on every Problem, equal to
 * the X-Correlation-Id header. Every builder an answer can come from is
 * walked here, inside a request (the front door's id) and outside one.
 */
const request = new Request("http://localhost/v1/clouds/x");
const ID = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";

async function carries(response: Response, expected?: string) {
  const body = (await response.json()) as Record<string, unknown>;
  assert.equal(response.headers.get("content-type"), "application/problem+json");
  assert.equal(typeof body.correlation_id, "string", `${body.code}: correlation_id`);
  assert.ok((body.correlation_id as string).length > 0);
  assert.equal(response.headers.get(CORRELATION_HEADER), body.correlation_id, `${body.code}: the header repeats the body`);
  if (expected) assert.equal(body.correlation_id, expected, `${body.code}: the request's id`);
  return body;
}

const thrown: unknown[] = [
  new ValidationError("invalid_body", "no"),
  new UnauthenticatedError(),
  new PermissionDeniedError("missing cloud#manage"),
  new NotFoundError("cloud_not_found", "no"),
  new ConflictError("cloud_not_empty", "no", {}, { cloud_child_counts: { credentials: 1 } }),
  new BodyTooLargeError(8192),
  new DomainError("unsupported_media_type", "json only", 415),
  new ThrottledError("device_code_throttled", "later", 30),
  Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
  new Error("boom"),
];

describe("every problem answer names its request", () => {
  test("problem(), permissionDenied(), problemFromError() and a 405 carry the front door's id, body and header alike", async () => {
    await withCorrelationId(ID, async () => {
      await carries(problem(request, 404, "not_found", "no such endpoint"), ID);
      await carries(problem(request, 401, "unauthenticated", "sign in"), ID);
      await carries(problem(request, 403, "csrf_token_mismatch", "send the header"), ID);
      await carries(permissionDenied(request), ID);
      await carries(await methodsNotAllowed(["GET"]).POST(request), ID);
      const statuses = [];
      for (const error of thrown) statuses.push((await carries(problemFromError(request, error), ID)).status);
      assert.deepEqual(statuses, [400, 401, 403, 404, 409, 413, 415, 429, 503, 500]);
    });
  });

  test("outside a request (no front door: next dev, a unit test) each answer still carries one id, the same in body and header", async () => {
    const seen = new Set<string>();
    for (const error of thrown) seen.add((await carries(problemFromError(request, error))).correlation_id as string);
    assert.equal(seen.size, thrown.length, "a fresh id per answer");
  });

  test("a denial's audit pairing: a PermissionDeniedError's own id is the one the body and header name", async () => {
    await carries(problemFromError(request, new PermissionDeniedError("denied", ID)), ID);
  });

  test("the edge's refusals carry it: the request's id for a 405/400 before routing, a fresh one on a raw socket", async () => {
    const headers: Record<string, unknown> = {};
    let written = "";
    const res = {
      writeHead: (_status: number, h: Record<string, unknown>) => Object.assign(headers, h),
      end: (body?: string) => (written = body ?? ""),
      setHeader: () => {},
    } as unknown as ServerResponse;
    const refused = withCorrelationId(ID, () => admitRequest({ method: "TRACE", url: "/v1/health", headers: {} } as IncomingMessage, res));
    assert.equal(refused, false);
    assert.equal(JSON.parse(written).correlation_id, ID);
    assert.equal(headers[CORRELATION_HEADER], ID);

    let raw = "";
    const socket = Object.assign(new EventEmitter(), {
      writable: true,
      end: (text: string) => (raw = text),
      destroy: () => {},
    }) as unknown as Socket;
    answerClientError(Object.assign(new Error("parse"), { code: "HPE_INVALID_METHOD" }), socket);
    const [head, body] = raw.split("\r\n\r\n");
    const id = JSON.parse(body).correlation_id;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.match(head, new RegExp(`\\r\\n${CORRELATION_HEADER}: ${id}\\r\\n`, "i"));
  });
});
