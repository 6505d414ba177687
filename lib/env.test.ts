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

  test("production refuses to start without NEXTAUTH_SECRET", () => {
    assert.throws(() => parseEnv({ APP_MODE: "production" }), (e: Error) => e instanceof ConfigError && /NEXTAUTH_SECRET/.test(e.message));
  });

  test("production refuses the demo seed, and never seeds by default", () => {
    const secret = "s".repeat(40);
    assert.throws(() => parseEnv({ APP_MODE: "production", NEXTAUTH_SECRET: secret, DEMO_SEED: "true" }), /DEMO_SEED/);
    assert.equal(parseEnv({ APP_MODE: "production", NEXTAUTH_SECRET: secret }).seedDemo, false);
  });

  test("VAULT_ADDR selects the vault driver and requires a token", () => {
    assert.throws(() => parseEnv({ VAULT_ADDR: "http://127.0.0.1:8200" }), /VAULT_TOKEN/);
    const env = parseEnv({ VAULT_ADDR: "http://127.0.0.1:8200", VAULT_TOKEN: "t", VAULT_NAMESPACE: "team-a" });
    assert.deepEqual(env.vault, { addr: "http://127.0.0.1:8200", token: "t", namespace: "team-a", mount: "secret" });
  });

  test("a configuration error names the variable, never its value", () => {
    const secretish = "too-short-secret-value";
    assert.throws(
      () => parseEnv({ NEXTAUTH_SECRET: secretish }),
      (e: Error) => e.message.includes("NEXTAUTH_SECRET") && !e.message.includes(secretish),
    );
  });
});
