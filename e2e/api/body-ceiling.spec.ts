import { request as httpRequest } from "node:http";
import { cast, expect, test, uniqueSlug } from "../fixtures";
import { cloudBody, demoCaller, type Caller } from "./callers";
import { expectBodyConforms, loadOurOpenApi } from "./contract";

const ISSUE = "POST /v1/clouds/{id}/cloud-credentials";
const conforms = (response: { status: number; body: string; contentType: string }) =>
  expectBodyConforms(response.contentType, JSON.parse(response.body), ISSUE, response.status);

/**
 * The 8 KiB ceiling is counted on the bytes that arrive, not taken from
 * Content-Length: these requests are written by hand so the test decides
 * whether a length is declared at all.
 */
function send(url: string, headers: Record<string, string>, body: Buffer, options: { chunked: boolean }) {
  return new Promise<{ status: number; body: string; contentType: string }>((resolve, reject) => {
    const req = httpRequest(url, {
      method: "POST",
      headers: {
        ...headers,
        "content-type": "application/json",
        ...(options.chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(body.length) }),
      },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          contentType: String(res.headers["content-type"] ?? ""),
        }),
      );
    });
    req.on("error", reject);
    if (options.chunked) {
      // Several small chunks, the way a streaming client sends them.
      for (let i = 0; i < body.length; i += 1000) req.write(body.subarray(i, i + 1000));
      req.end();
    } else {
      req.end(body);
    }
  });
}

/** A JSON issue body of exactly `size` bytes (padding the display name). */
function bodyOfSize(size: number): Buffer {
  const base = JSON.stringify({ display_name: "", payload: Buffer.from("secret").toString("base64") });
  const padded = JSON.stringify({ display_name: "n".repeat(size - base.length), payload: Buffer.from("secret").toString("base64") });
  expect(Buffer.byteLength(padded)).toBe(size);
  return Buffer.from(padded);
}

test.describe("the 8 KiB body ceiling", () => {
  let operator: Caller;
  let viewer: Caller;
  let url: string;

  test.beforeEach(async ({ playwright, target, request }) => {
    await loadOurOpenApi(async () => (await request.get("/v1/openapi.json")).json());
    for (const [set, email] of [
      [(c: Caller) => (operator = c), cast.operator],
      [(c: Caller) => (viewer = c), cast.viewer],
    ] as const) {
      const session = await playwright.request.newContext({ baseURL: target.baseURL });
      set(await demoCaller(session, target, email));
      await session.dispose();
    }
    const cloud = await (await request.post("/v1/clouds", { headers: operator.headers, data: cloudBody(uniqueSlug("ceiling")) })).json();
    url = `${target.baseURL}/v1/clouds/${cloud.id}/cloud-credentials`;
  });

  for (const chunked of [false, true]) {
    const how = chunked ? "chunked, without Content-Length" : "with Content-Length";
    test(`8 KiB + 1 byte ${how} is 413 request_body_too_large`, async () => {
      const response = await send(url, operator.headers, bodyOfSize(8193), { chunked });
      expect(response.status).toBe(413);
      expect(conforms(response).code).toBe("request_body_too_large");
    });

    test(`exactly 8 KiB ${how} is read (and judged on its content)`, async () => {
      const response = await send(url, operator.headers, bodyOfSize(8192), { chunked });
      // A display name this long is invalid: the body was read, not refused for size.
      expect(response.status).toBe(400);
      expect(conforms(response).code).toBe("invalid_display_name");
    });
  }

  test("a caller without manage is refused before the body matters, whatever its size", async () => {
    for (const chunked of [false, true]) {
      const response = await send(url, viewer.headers, bodyOfSize(8193), { chunked });
      expect(response.status).toBe(403);
      expect(conforms(response).code).toBe("permission_denied");
    }
  });
});
