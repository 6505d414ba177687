import { randomBytes } from "node:crypto";
import { cast, DEMO_PASSWORD, expect, query, test } from "../fixtures";

/**
 * The address a sign-in is recorded (and throttled) under is the socket's:
 * a client cannot choose it with X-Forwarded-For, since no proxy we trust
 * stands in front of the e2e servers (TRUST_PROXY unset). The server entry
 * drops the claimed header before Next or a /v1 handler sees it.
 */
test("a forged X-Forwarded-For does not become the session's recorded address", async ({ request, target }) => {
  const userAgent = `client-address-probe/${randomBytes(6).toString("hex")}`;
  const forged = { "x-forwarded-for": "203.0.113.7, 198.51.100.9", "user-agent": userAgent };
  const { csrfToken } = await (await request.get("/api/auth/csrf", { headers: forged })).json();
  const signIn = await request.post("/api/auth/callback/credentials", {
    headers: forged,
    form: { email: cast.viewer, password: DEMO_PASSWORD, csrfToken, json: "true" },
    maxRedirects: 0,
  });
  expect(signIn.status()).toBeLessThan(400);

  const rows = await query<{ client_address: string | null }>(target, "SELECT client_address FROM sessions WHERE user_agent = $1", [
    userAgent,
  ]);
  expect(rows).toHaveLength(1);
  // The e2e servers are reached over loopback: the socket's address, in whichever family it came.
  expect(rows[0].client_address).toMatch(/^(127\.0\.0\.1|::1)$/);
});
