import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { guardNextAuth } from "./guard";

const reached: string[] = [];
const guarded = guardNextAuth(async (request, context) => {
  reached.push(`${request.method} ${(await context.params).nextauth.join("/")}`);
  return new Response("next-auth", { status: 200 });
});
const call = (method: string, path: string) =>
  guarded(new Request(`http://console.test/api/auth/${path}`, { method }), {
    params: Promise.resolve({ nextauth: path.split("?")[0].split("/") }),
  });

describe("the next-auth route guard with OIDC providers", () => {
  test("an identity provider's redirect (GET callback/<alias>) reaches next-auth; other methods and malformed aliases do not", async () => {
    reached.length = 0;
    assert.equal((await call("GET", "callback/corp-sso?code=x&state=y")).status, 200);
    assert.equal((await call("POST", "callback/corp-sso")).status, 405);
    assert.equal((await call("GET", "callback/Not_An.Alias")).status, 404);
    assert.equal((await call("GET", "callback/credentials")).status, 405);
    assert.deepEqual(reached, ["GET callback/corp-sso"]);
  });

  test("next-auth's error page is the sign-in page, with a code that cannot break the Location header", async () => {
    const nul = await call("GET", "error?error=%00");
    assert.deepEqual([nul.status, nul.headers.get("location")], [302, "/login?error=Callback"]);
    const sso = await call("GET", "error?error=Sso:jit_refused");
    assert.equal(sso.headers.get("location"), "/login?error=Sso%3Ajit_refused");
  });
});
