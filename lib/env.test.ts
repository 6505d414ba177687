import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ConfigError, parseEnv } from "./env";

describe("configuration", () => {
  test("an empty environment is the demo: embedded database and secrets, demo cast seeded", () => {
    const env = parseEnv({});
    assert.equal(env.mode, "demo");
    assert.equal(env.databaseUrl, undefined);
    assert.equal(env.vault, undefined);
    assert.equal(env.seedDemo, true);
    assert.equal(env.credentialDefaultTtlDays, 90);
  });

  test("the reconciler runs every 300 s with a 600 s grace unless told otherwise; grace 0 is allowed, a negative one is not", () => {
    assert.deepEqual([parseEnv({}).reconcileIntervalMs, parseEnv({}).reconcileGraceMs], [300_000, 600_000]);
    const tuned = parseEnv({ RECONCILE_INTERVAL_SECONDS: "30", RECONCILE_GRACE_SECONDS: "0" });
    assert.deepEqual([tuned.reconcileIntervalMs, tuned.reconcileGraceMs], [30_000, 0]);
    assert.throws(() => parseEnv({ RECONCILE_GRACE_SECONDS: "-1" }), /RECONCILE_GRACE_SECONDS/);
    assert.throws(() => parseEnv({ RECONCILE_INTERVAL_SECONDS: "0" }), /RECONCILE_INTERVAL_SECONDS/);
  });

  test("purges run hourly unless told otherwise; webhooks reach internal addresses only when explicitly allowed, in either mode", () => {
    assert.equal(parseEnv({}).purgeIntervalMs, 3_600_000);
    assert.equal(parseEnv({ PURGE_INTERVAL_SECONDS: "60" }).purgeIntervalMs, 60_000);
    assert.throws(() => parseEnv({ PURGE_INTERVAL_SECONDS: "0" }), /PURGE_INTERVAL_SECONDS/);
    assert.equal(parseEnv({}).webhookAllowPrivateAddresses, false);
    assert.equal(parseEnv({ WEBHOOK_ALLOW_PRIVATE_ADDRESSES: "true" }).webhookAllowPrivateAddresses, true);
    assert.throws(() => parseEnv({ WEBHOOK_ALLOW_PRIVATE_ADDRESSES: "yes" }), /WEBHOOK_ALLOW_PRIVATE_ADDRESSES/);
  });

  test("production refuses to start without NEXTAUTH_SECRET", () => {
    assert.throws(
      () => parseEnv({ APP_MODE: "production" }),
      (e: Error) => e instanceof ConfigError && /NEXTAUTH_SECRET/.test(e.message),
    );
  });

  const production = {
    APP_MODE: "production",
    NEXTAUTH_SECRET: "s".repeat(40),
    NEXTAUTH_URL: "https://console.example.com",
    SECRETS_KEY: Buffer.alloc(32, 7).toString("base64"),
  };

  test("production refuses the demo seed, and never seeds by default", () => {
    assert.throws(() => parseEnv({ ...production, DEMO_SEED: "true" }), /DEMO_SEED/);
    assert.equal(parseEnv(production).seedDemo, false);
  });

  test("production lets webhooks reach internal addresses only when WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true is set", () => {
    assert.equal(parseEnv(production).webhookAllowPrivateAddresses, false);
    assert.equal(parseEnv({ ...production, WEBHOOK_ALLOW_PRIVATE_ADDRESSES: "true" }).webhookAllowPrivateAddresses, true);
  });

  test("production needs the console's https URL, so session cookies are Secure", () => {
    assert.throws(() => parseEnv({ ...production, NEXTAUTH_URL: undefined }), /NEXTAUTH_URL/);
    assert.throws(() => parseEnv({ ...production, NEXTAUTH_URL: "http://console.example.com" }), /NEXTAUTH_URL/);
  });

  test("production needs a key that does not sit beside the ciphertext: SECRETS_KEY or Vault", () => {
    assert.throws(() => parseEnv({ ...production, SECRETS_KEY: undefined }), /SECRETS_KEY/);
    assert.equal(
      parseEnv({ ...production, SECRETS_KEY: undefined, VAULT_ADDR: "https://bao.example.com", VAULT_TOKEN: "t" }).vault?.addr,
      "https://bao.example.com",
    );
  });

  test("VAULT_ADDR selects the vault driver and requires a token", () => {
    assert.throws(() => parseEnv({ VAULT_ADDR: "http://127.0.0.1:8200" }), /VAULT_TOKEN/);
    const env = parseEnv({ VAULT_ADDR: "http://127.0.0.1:8200", VAULT_TOKEN: "t", VAULT_NAMESPACE: "team-a" });
    assert.deepEqual(env.vault, { addr: "http://127.0.0.1:8200", token: "t", namespace: "team-a", mount: "secret" });
  });

  test("the revocation outbox retries every 5 seconds unless told otherwise, within 1 s to 1 h", () => {
    assert.equal(parseEnv({}).outboxIntervalMs, 5000);
    assert.equal(parseEnv({ OUTBOX_INTERVAL_SECONDS: "2" }).outboxIntervalMs, 2000);
    for (const bad of ["0", "3601", "soon"]) assert.throws(() => parseEnv({ OUTBOX_INTERVAL_SECONDS: bad }), /OUTBOX_INTERVAL_SECONDS/);
  });

  test("a configuration error names the variable, never its value", () => {
    const secretish = "too-short-secret-value";
    assert.throws(
      () => parseEnv({ NEXTAUTH_SECRET: secretish }),
      (e: Error) => e.message.includes("NEXTAUTH_SECRET") && !e.message.includes(secretish),
    );
  });
});
