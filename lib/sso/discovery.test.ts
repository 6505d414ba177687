import assert from "node:assert/strict";
import { authorizePlatform } from "@/lib/authz/service";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { authOptions } from "@/lib/auth/options";
import { closeTestDatabase, createTestUser, testDatabase } from "@/testing/database";
import { startDiscoveryServer, type DiscoveryServer } from "@/testing/discovery-server";
import { activeBindings, createBinding, updateBinding, type BindingInput } from "./bindings";
import { refreshDiscoveries } from "./discovery";

before(testDatabase);
after(closeTestDatabase);
let idps: DiscoveryServer;
before(async () => (idps = await startDiscoveryServer()));
after(() => idps.stop());

const SECRET = "idp-discovery-secret-canary-41c9";
const unique = () => randomUUID().slice(0, 8);
const input = (issuer: string, overrides: Partial<BindingInput> = {}): BindingInput => ({
  domainId: null,
  issuer,
  clientId: "console",
  clientSecret: SECRET,
  jitPolicy: { mode: "allow" },
  alias: `disc-${unique()}`,
  ...overrides,
});

type OAuthProvider = {
  id: string;
  wellKnown?: string;
  issuer?: string;
  authorization?: { url?: string };
  token?: string;
  jwks_endpoint?: string;
};
const providerFor = async (alias: string) =>
  (await authOptions({ action: "signin", provider: alias })).providers.find((p) => p.id === alias) as OAuthProvider | undefined;

describe("IdP discovery is fetched when a binding is saved, never when someone starts a sign-in", () => {
  test("saving fetches and caches the document; sign-in is configured from the cache alone, with the IdP down", async () => {
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const issuer = idps.issuer(`cache-${unique()}`);
    const row = await createBinding(admin, input(issuer));
    assert.equal(idps.requests.filter((path) => path.startsWith(new URL(issuer).pathname)).length, 1, "fetched once, when saved");
    assert.ok(row.discoveredAt);

    // The IdP's discovery now answers nothing at all; starting a sign-in must not notice.
    const down = await startDiscoveryServer();
    await down.stop();
    const db = await testDatabase();
    await db.idpBinding.update({ where: { id: row.id }, data: { discoveryUrl: `${down.base}/gone/.well-known/openid-configuration` } });
    const before = idps.requests.length;
    const provider = await providerFor(row.alias);
    assert.ok(provider, "offered from the cache");
    assert.equal(provider.wellKnown, undefined, "no discovery URL for next-auth to fetch");
    assert.equal(provider.issuer, issuer);
    assert.equal(provider.authorization?.url, `${issuer}/authorize`);
    assert.equal(provider.token, `${issuer}/token`);
    assert.equal(provider.jwks_endpoint, `${issuer}/jwks`);
    assert.equal(idps.requests.length, before, "nothing fetched");
  });

  test("a binding whose discovery fails is refused with a field error naming the problem, never the secret, and nothing is saved", async () => {
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const db = await testDatabase();
    const down = await startDiscoveryServer();
    await down.stop();
    const cases: [BindingInput, RegExp][] = [
      [input(down.issuer("x")), /did not answer/],
      [input(idps.issuer(`ok-${unique()}`), { discoveryUrl: `${idps.base}/nothing-here` }), /HTTP 404/],
      // A document for another issuer is not this provider's (Discovery 1.0, 4.3).
      [
        input("https://login.example.com/realm", { discoveryUrl: `${idps.issuer("other")}/.well-known/openid-configuration` }),
        /different issuer/,
      ],
    ];
    for (const [binding, problem] of cases) {
      await assert.rejects(
        createBinding(admin, binding),
        (error: { code?: string; status?: number; message?: string; fieldErrors?: Record<string, string> }) => {
          assert.deepEqual([error.code, error.status], ["discovery_failed", 400]);
          assert.match(error.fieldErrors?.discovery_url ?? "", problem);
          assert.doesNotMatch(JSON.stringify(error) + String(error.message), new RegExp(SECRET));
          return true;
        },
      );
      assert.equal(await db.idpBinding.count({ where: { alias: binding.alias } }), 0);
    }
    // Private addresses stay allowed for identity providers: the working ones above are on loopback.
    const saved = await createBinding(admin, input(idps.issuer(`private-${unique()}`)));
    assert.ok(saved.discoveredAt);
    // An edit pointing at a discovery URL that fails is refused the same way and leaves the binding as it was.
    await assert.rejects(updateBinding(admin, saved.id, { discoveryUrl: `${idps.base}/nothing-here` }), {
      code: "discovery_failed",
      status: 400,
    });
    assert.equal((await db.idpBinding.findUniqueOrThrow({ where: { id: saved.id } })).discoveryUrl, saved.discoveryUrl);
  });

  test("the refresh pass updates the cache; a failing IdP keeps its last good copy; a binding with no cache is not offered until it has one", async () => {
    const admin = await authorizePlatform(await createTestUser({ platformAdmin: true }));
    const db = await testDatabase();
    const name = `refresh-${unique()}`;
    const row = await createBinding(admin, input(idps.issuer(name)));
    // The IdP moved its authorization endpoint (here: the cache is made stale by hand).
    await db.idpBinding.update({
      where: { id: row.id },
      data: { discovery: { ...(row.discovery as object), authorization_endpoint: "https://stale.example/authorize" } },
    });
    const stale = await db.idpBinding.findUniqueOrThrow({ where: { id: row.id } });
    const report = await refreshDiscoveries();
    assert.ok(report.refreshed >= 1);
    const refreshed = await db.idpBinding.findUniqueOrThrow({ where: { id: row.id } });
    assert.equal((refreshed.discovery as { authorization_endpoint: string }).authorization_endpoint, `${idps.issuer(name)}/authorize`);
    assert.ok(refreshed.discoveredAt! > stale.discoveredAt!);
    assert.equal(
      refreshed.updatedAt.getTime(),
      stale.updatedAt.getTime(),
      "a refresh is not an edit: the next admin save does not conflict",
    );

    const down = await startDiscoveryServer();
    await down.stop();
    await db.idpBinding.update({ where: { id: row.id }, data: { discoveryUrl: `${down.base}/gone/.well-known/openid-configuration` } });
    const failing = await refreshDiscoveries();
    assert.ok(failing.failed >= 1);
    assert.deepEqual(
      (await db.idpBinding.findUniqueOrThrow({ where: { id: row.id } })).discovery,
      refreshed.discovery,
      "the last good copy is kept",
    );

    // Saved before the cache existed (the migration leaves it empty): not offered, and sign-in does not fetch it either.
    const legacy = await createBinding(admin, input(idps.issuer(`legacy-${unique()}`)));
    await db.idpBinding.update({ where: { id: legacy.id }, data: { discoveredAt: null } });
    await db.$executeRawUnsafe("UPDATE idp_bindings SET discovery = NULL WHERE id = $1::uuid", legacy.id);
    const before = idps.requests.length;
    assert.equal(
      (await activeBindings()).some((b) => b.id === legacy.id),
      false,
    );
    assert.equal(await providerFor(legacy.alias), undefined);
    assert.equal(idps.requests.length, before);
    await refreshDiscoveries();
    assert.equal(
      (await activeBindings()).some((b) => b.id === legacy.id),
      true,
      "the refresh fills it in",
    );
  });
});
