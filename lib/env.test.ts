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

  test("readiness drains 5 s before the listener closes unless told otherwise; /metrics is off unless a port or a token says where", () => {
    assert.equal(parseEnv({}).readinessDrainMs, 5_000);
    assert.equal(parseEnv({ READINESS_DRAIN_SECONDS: "0" }).readinessDrainMs, 0);
    assert.throws(() => parseEnv({ READINESS_DRAIN_SECONDS: "-1" }), /READINESS_DRAIN_SECONDS/);
    assert.deepEqual(parseEnv({}).metrics, { listen: undefined, token: undefined });
    assert.deepEqual(parseEnv({ METRICS_PORT: "9464" }).metrics, { listen: { port: 9464, hostname: "127.0.0.1" }, token: undefined });
    assert.equal(parseEnv({ METRICS_TOKEN: "0123456789abcdef" }).metrics.token, "0123456789abcdef");
    assert.throws(() => parseEnv({ METRICS_TOKEN: "short" }), /METRICS_TOKEN/);
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

describe("configuration: how the console logs in to Vault", () => {
  const addr = { VAULT_ADDR: "https://bao.example.com" };
  const refused = (source: Record<string, string>, pattern: RegExp) =>
    assert.throws(
      () => parseEnv(source),
      (e: Error) => e instanceof ConfigError && pattern.test(e.message),
    );

  test("AppRole with the secret id, or with a secret-id file; VAULT_AUTH_MOUNT moves the mount", () => {
    assert.deepEqual(parseEnv({ ...addr, VAULT_ROLE_ID: "r", VAULT_SECRET_ID: "s" }).vault?.login, {
      method: "approle",
      mount: "approle",
      roleId: "r",
      secretId: "s",
    });
    assert.deepEqual(
      parseEnv({ ...addr, VAULT_ROLE_ID: "r", VAULT_SECRET_ID_FILE: "/run/secret-id", VAULT_AUTH_MOUNT: "approle-prod" }).vault?.login,
      {
        method: "approle",
        mount: "approle-prod",
        roleId: "r",
        secretIdFile: "/run/secret-id",
      },
    );
    assert.equal(parseEnv({ ...addr, VAULT_ROLE_ID: "r", VAULT_SECRET_ID: "s" }).vault?.token, undefined);
  });

  test("Kubernetes with the pod's service-account token unless VAULT_K8S_JWT_FILE says otherwise", () => {
    assert.deepEqual(parseEnv({ ...addr, VAULT_AUTH_METHOD: "kubernetes", VAULT_K8S_ROLE: "plexsphere" }).vault?.login, {
      method: "kubernetes",
      mount: "kubernetes",
      role: "plexsphere",
      jwtFile: "/var/run/secrets/kubernetes.io/serviceaccount/token",
    });
    assert.deepEqual(
      parseEnv({ ...addr, VAULT_K8S_ROLE: "plexsphere", VAULT_K8S_JWT_FILE: "/jwt", VAULT_AUTH_MOUNT: "k8s/eu-1" }).vault?.login,
      { method: "kubernetes", mount: "k8s/eu-1", role: "plexsphere", jwtFile: "/jwt" },
    );
  });

  test("an ambiguous configuration is refused, naming the variables and never their values", () => {
    refused(
      { ...addr, VAULT_TOKEN: "tok-value", VAULT_ROLE_ID: "r", VAULT_SECRET_ID: "s" },
      /ambiguous: VAULT_TOKEN, VAULT_ROLE_ID, VAULT_SECRET_ID/,
    );
    refused({ ...addr, VAULT_ROLE_ID: "r", VAULT_SECRET_ID: "s", VAULT_SECRET_ID_FILE: "/f" }, /VAULT_SECRET_ID_FILE: ambiguous/);
    refused(
      { ...addr, VAULT_AUTH_METHOD: "kubernetes", VAULT_K8S_ROLE: "k", VAULT_TOKEN: "t" },
      /VAULT_TOKEN: ambiguous: set, but the auth method is kubernetes/,
    );
    refused(
      { ...addr, VAULT_AUTH_METHOD: "approle", VAULT_ROLE_ID: "r", VAULT_SECRET_ID: "s", VAULT_K8S_ROLE: "k" },
      /VAULT_K8S_ROLE: ambiguous/,
    );
    refused({ ...addr, VAULT_TOKEN: "t", VAULT_AUTH_MOUNT: "approle" }, /VAULT_AUTH_MOUNT: applies to approle and kubernetes only/);
    assert.throws(
      () => parseEnv({ ...addr, VAULT_TOKEN: "tok-value", VAULT_ROLE_ID: "role-value", VAULT_SECRET_ID: "secret-value" }),
      (e: Error) => !["tok-value", "role-value", "secret-value"].some((v) => e.message.includes(v)),
    );
  });

  test("an incomplete configuration is refused", () => {
    refused({ ...addr }, /VAULT_TOKEN: VAULT_ADDR needs a way to log in/);
    refused({ ...addr, VAULT_ROLE_ID: "r" }, /VAULT_SECRET_ID: AppRole login needs VAULT_SECRET_ID or VAULT_SECRET_ID_FILE/);
    refused({ ...addr, VAULT_SECRET_ID: "s" }, /VAULT_ROLE_ID: is required for AppRole login/);
    refused({ ...addr, VAULT_AUTH_METHOD: "kubernetes" }, /VAULT_K8S_ROLE: is required for Kubernetes login/);
    refused({ ...addr, VAULT_AUTH_METHOD: "token" }, /VAULT_TOKEN: is required/);
    refused({ ...addr, VAULT_AUTH_METHOD: "ldap", VAULT_TOKEN: "t" }, /VAULT_AUTH_METHOD/);
    refused({ ...addr, VAULT_ROLE_ID: "r", VAULT_SECRET_ID: "s", VAULT_AUTH_MOUNT: "../sys" }, /VAULT_AUTH_MOUNT/);
    // A login configuration without an address would be silently ignored: refused instead. VAULT_TOKEN alone stays allowed (the vault CLI reads it too).
    refused({ VAULT_ROLE_ID: "r", VAULT_SECRET_ID: "s" }, /VAULT_ROLE_ID: has no effect without VAULT_ADDR/);
    assert.equal(parseEnv({ VAULT_TOKEN: "t" }).vault, undefined);
  });
});
