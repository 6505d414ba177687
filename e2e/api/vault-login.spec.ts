import { readFileSync } from "node:fs";
import { cast, expect, test, uniqueSlug } from "../fixtures";
import { b64, cloudBody, demoCaller } from "./callers";

/**
 * The postgres-vault server logs in to the KV-v2 double with AppRole, and
 * the double hands out tokens that live 4 s, renewable up to a max TTL of
 * 10 s (scripts/test-e2e.mjs): so while this spec keeps issuing credentials
 * and reading the secrets engine's health, the server renews its token and
 * logs in afresh at the max TTL. No caller may notice.
 */
const count = (log: string, event: string) => log.split("\n").filter((line) => line.includes(`"event":"${event}"`)).length;
const loginsIn = (log: string) => count(log, "vault.login");

test("a long-running server on AppRole keeps its Vault token alive across renewals and fresh logins, and no request fails", async ({
  request,
  target,
}) => {
  test.skip(!target.vault, "only the postgres-vault server uses Vault; the embedded server has no token to keep");
  const operator = await demoCaller(request, target, cast.operator);
  const cloud = await (await request.post("/v1/clouds", { headers: operator.headers, data: cloudBody(uniqueSlug("vault-login")) })).json();
  const before = loginsIn(readFileSync(target.serverLog, "utf8"));
  const renewalsBefore = count(readFileSync(target.serverLog, "utf8"), "vault.renewed");
  const answers: number[] = [];

  // Two fresh logins take about 19 s with these TTLs (renewals at 2/3 of each lease in between).
  await expect
    .poll(
      async () => {
        const issued = await request.post(`/v1/clouds/${cloud.id}/cloud-credentials`, {
          headers: operator.headers,
          data: { display_name: `turnover ${answers.length}`, payload: b64("s3cr3t"), allow_unusual_shape: true },
        });
        answers.push(issued.status());
        const health = await request.get("/v1/health");
        answers.push(health.status());
        return loginsIn(readFileSync(target.serverLog, "utf8")) - before;
      },
      { timeout: 90_000, intervals: [250] },
    )
    .toBeGreaterThanOrEqual(2);

  expect(answers.filter((status) => status !== 201 && status !== 200)).toEqual([]);
  const log = readFileSync(target.serverLog, "utf8");
  expect(log).not.toContain('"event":"vault.renew_failed"');
  // Between fresh logins the token was renewed (a 4 s token lives about 9 s here), not replaced.
  expect(count(log, "vault.renewed") - renewalsBefore).toBeGreaterThanOrEqual(2);
  // Neither the secret id nor a token the double handed out (hvs.…) is ever logged.
  const secretId = readFileSync(target.vault!.secretIdFile!, "utf8").trim();
  expect(log.includes(secretId)).toBe(false);
  expect(log).not.toMatch(/hvs\./);
});
