import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { startKv2Double, type Kv2Double } from "./kv2-double";

/**
 * The double's own protocol behaviour, through plain fetch, against the
 * KV-v2 facts in /work/shared/PLATFORM.md, so that the vault driver's tests
 * prove something about the real API.
 */
describe("KV-v2 double", () => {
  let double: Kv2Double;
  before(async () => {
    double = await startKv2Double({ token: "root-token" });
  });
  after(() => double.stop());

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${double.url}/v1/${path}`, {
      method,
      headers: { "X-Vault-Token": double.token, ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
  }
  const key = () => `tests/${randomUUID()}`;
  const write = (path: string, data: Record<string, unknown>, cas?: number) =>
    call("POST", `secret/data/${path}`, { data, ...(cas === undefined ? {} : { options: { cas } }) });

  test("every request needs the token; failures are 403 permission denied and are still recorded", async () => {
    const path = key();
    for (const token of [undefined, "wrong"]) {
      const response = await fetch(`${double.url}/v1/secret/data/${path}`, {
        headers: token ? { "X-Vault-Token": token, "X-Vault-Namespace": "ns1" } : {},
      });
      assert.equal(response.status, 403);
      assert.deepEqual(await response.json(), { errors: ["permission denied"] });
    }
    assert.deepEqual(double.requests.slice(-2), [
      { method: "GET", path: `/v1/secret/data/${path}` },
      { method: "GET", path: `/v1/secret/data/${path}`, namespace: "ns1" },
    ]);
  });

  test("the default token is random and the address is a loopback port", async () => {
    const other = await startKv2Double();
    try {
      assert.match(other.token, /^[A-Za-z0-9_-]{16,}$/);
      assert.notEqual(other.token, double.token);
      assert.match(other.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(other.mount, "secret");
    } finally {
      await other.stop();
    }
  });

  test("writes answer Vault's envelope with the new version, and versions increment", async () => {
    const path = key();
    const first = await write(path, { a: "1" });
    assert.equal(first.status, 200);
    assert.deepEqual(Object.keys(first.body).sort(), [
      "auth",
      "data",
      "lease_duration",
      "lease_id",
      "renewable",
      "request_id",
      "warnings",
      "wrap_info",
    ]);
    assert.equal(first.body.lease_id, "");
    assert.equal(first.body.renewable, false);
    assert.equal(first.body.lease_duration, 0);
    assert.equal(first.body.wrap_info, null);
    assert.match(first.body.request_id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      { ...first.body.data, created_time: "t" },
      { created_time: "t", custom_metadata: null, deletion_time: "", destroyed: false, version: 1 },
    );
    assert.ok(!Number.isNaN(Date.parse(first.body.data.created_time)));
    assert.equal((await write(path, { a: "2" })).body.data.version, 2);
    const put = await call("PUT", `secret/data/${path}`, { data: { a: "3" } });
    assert.equal(put.body.data.version, 3);
  });

  test("cas 0 creates only a missing key; cas N must equal the current version; a mismatch is 400 with Vault's message", async () => {
    const path = key();
    assert.equal((await write(path, { v: "1" }, 0)).body.data.version, 1);
    const again = await write(path, { v: "x" }, 0);
    assert.equal(again.status, 400);
    assert.deepEqual(again.body, { errors: ["check-and-set parameter did not match the current version"] });
    assert.equal((await write(path, { v: "2" }, 1)).body.data.version, 2);
    const stale = await write(path, { v: "x" }, 1);
    assert.equal(stale.status, 400);
    assert.deepEqual(stale.body, { errors: ["check-and-set parameter did not match the current version"] });
    const ahead = await write(path, { v: "x" }, 7);
    assert.equal(ahead.status, 400);
    const read = await call("GET", `secret/data/${path}`);
    assert.deepEqual(read.body.data.data, { v: "2" });
    assert.equal(read.body.data.metadata.version, 2);
  });

  test("cas_required refuses a write without cas", async () => {
    const path = key();
    assert.equal((await call("POST", `secret/metadata/${path}`, { cas_required: true })).status, 204);
    const plain = await write(path, { v: "1" });
    assert.equal(plain.status, 400);
    assert.deepEqual(plain.body, { errors: ["check-and-set parameter required for this call"] });
    // Metadata without versions: cas 0 still creates version 1.
    assert.equal((await write(path, { v: "1" }, 0)).body.data.version, 1);
  });

  test("reads return the latest or ?version=N with its metadata; a missing key or version is 404 with no errors", async () => {
    const path = key();
    await write(path, { v: "one", nested: { n: 1 } });
    await write(path, { v: "two" });
    const latest = await call("GET", `secret/data/${path}`);
    assert.equal(latest.status, 200);
    assert.deepEqual(latest.body.data.data, { v: "two" });
    assert.deepEqual(
      { ...latest.body.data.metadata, created_time: "t" },
      { created_time: "t", custom_metadata: null, deletion_time: "", destroyed: false, version: 2 },
    );
    const v1 = await call("GET", `secret/data/${path}?version=1`);
    assert.deepEqual(v1.body.data.data, { v: "one", nested: { n: 1 } });
    assert.equal(v1.body.data.metadata.version, 1);
    assert.deepEqual((await call("GET", `secret/data/${path}?version=0`)).body.data.data, { v: "two" });

    for (const missing of [`secret/data/${path}?version=3`, `secret/data/${key()}`]) {
      const response = await call("GET", missing);
      assert.equal(response.status, 404);
      assert.deepEqual(response.body, { errors: [] });
    }
  });

  test("DELETE data soft-deletes the latest version: 404 with the metadata in the body; older versions stay readable", async () => {
    const path = key();
    await write(path, { v: "one" });
    await write(path, { v: "two" });
    const deleted = await call("DELETE", `secret/data/${path}`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.body, undefined);
    const read = await call("GET", `secret/data/${path}`);
    assert.equal(read.status, 404);
    assert.equal(read.body.data.data, null);
    assert.equal(read.body.data.metadata.version, 2);
    assert.equal(read.body.data.metadata.destroyed, false);
    assert.ok(!Number.isNaN(Date.parse(read.body.data.metadata.deletion_time)));
    assert.equal(read.body.lease_id, "");
    assert.equal((await call("GET", `secret/data/${path}?version=1`)).status, 200);
    // The deleted version still counts for cas.
    assert.equal((await write(path, { v: "three" }, 2)).body.data.version, 3);
    // On a missing key it is a no-op.
    assert.equal((await call("DELETE", `secret/data/${key()}`)).status, 204);
  });

  test("delete/undelete of given versions, and destroy removes the data for good", async () => {
    const path = key();
    await write(path, { v: "one" });
    await write(path, { v: "two" });
    await write(path, { v: "three" });
    assert.equal((await call("POST", `secret/delete/${path}`, { versions: [1, 2] })).status, 204);
    assert.equal((await call("GET", `secret/data/${path}?version=1`)).status, 404);
    assert.equal((await call("GET", `secret/data/${path}?version=2`)).status, 404);
    assert.equal((await call("GET", `secret/data/${path}`)).status, 200);

    assert.equal((await call("POST", `secret/undelete/${path}`, { versions: [1] })).status, 204);
    const undeleted = await call("GET", `secret/data/${path}?version=1`);
    assert.equal(undeleted.status, 200);
    assert.deepEqual(undeleted.body.data.data, { v: "one" });
    assert.equal(undeleted.body.data.metadata.deletion_time, "");

    assert.equal((await call("PUT", `secret/destroy/${path}`, { versions: [2, 3] })).status, 204);
    const destroyed = await call("GET", `secret/data/${path}?version=3`);
    assert.equal(destroyed.status, 404);
    assert.equal(destroyed.body.data.data, null);
    assert.equal(destroyed.body.data.metadata.destroyed, true);
    // A destroyed version cannot be undeleted.
    await call("POST", `secret/undelete/${path}`, { versions: [2] });
    assert.equal((await call("GET", `secret/data/${path}?version=2`)).body.data.metadata.destroyed, true);
    assert.equal((await call("GET", `secret/data/${path}?version=2`)).status, 404);

    const metadata = await call("GET", `secret/metadata/${path}`);
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(metadata.body.data.versions as Record<string, { destroyed: boolean }>).map(([v, m]) => [v, m.destroyed]),
      ),
      { "1": false, "2": true, "3": true },
    );
    const noVersions = await call("POST", `secret/destroy/${path}`, {});
    assert.equal(noVersions.status, 400);
  });

  test("metadata read, write, and DELETE metadata removes the key and every version", async () => {
    const path = key();
    await write(path, { v: "one" });
    await write(path, { v: "two" });
    assert.equal((await call("POST", `secret/metadata/${path}`, { max_versions: 5, custom_metadata: { owner: "ops" } })).status, 204);
    const metadata = await call("GET", `secret/metadata/${path}`);
    assert.equal(metadata.status, 200);
    const data = metadata.body.data;
    assert.deepEqual(
      { ...data, created_time: "t", updated_time: "t", versions: Object.keys(data.versions) },
      {
        cas_required: false,
        created_time: "t",
        current_version: 2,
        custom_metadata: { owner: "ops" },
        delete_version_after: "0s",
        max_versions: 5,
        oldest_version: 0,
        updated_time: "t",
        versions: ["1", "2"],
      },
    );
    assert.deepEqual({ ...data.versions["1"], created_time: "t" }, { created_time: "t", deletion_time: "", destroyed: false });
    // Custom metadata shows in every version's metadata.
    assert.deepEqual((await call("GET", `secret/data/${path}`)).body.data.metadata.custom_metadata, { owner: "ops" });

    assert.equal((await call("DELETE", `secret/metadata/${path}`)).status, 204);
    assert.deepEqual(await call("GET", `secret/metadata/${path}`), { status: 404, body: { errors: [] } });
    assert.equal((await call("GET", `secret/data/${path}?version=1`)).status, 404);
    assert.equal((await call("GET", `secret/data/${path}?version=2`)).status, 404);
    // Deleting again, or a key that never existed, is still 204; cas 0 then starts over at version 1.
    assert.equal((await call("DELETE", `secret/metadata/${path}`)).status, 204);
    assert.equal((await write(path, { v: "new" }, 0)).body.data.version, 1);
  });

  test("max_versions (default 10) keeps only the newest versions", async () => {
    const path = key();
    for (let i = 1; i <= 12; i++) await write(path, { i: String(i) });
    let metadata = (await call("GET", `secret/metadata/${path}`)).body.data;
    assert.equal(metadata.max_versions, 0, "unset on the key, as in Vault; the default of 10 applies");
    assert.equal(metadata.current_version, 12);
    assert.equal(metadata.oldest_version, 3);
    assert.deepEqual(Object.keys(metadata.versions).map(Number), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.equal((await call("GET", `secret/data/${path}?version=2`)).status, 404);
    assert.deepEqual((await call("GET", `secret/data/${path}?version=3`)).body.data.data, { i: "3" });

    await call("POST", `secret/metadata/${path}`, { max_versions: 2 });
    await write(path, { i: "13" });
    metadata = (await call("GET", `secret/metadata/${path}`)).body.data;
    assert.deepEqual(Object.keys(metadata.versions).map(Number), [12, 13]);
    assert.equal(metadata.oldest_version, 12);
    assert.equal(metadata.max_versions, 2);
  });

  test("LIST through GET ?list=true or ?list=1 names immediate children, folders with a trailing slash", async () => {
    const root = `list-${randomUUID()}`;
    await write(`${root}/a`, { x: "1" });
    await write(`${root}/b/c`, { x: "1" });
    await write(`${root}/b/d/e`, { x: "1" });
    await write(`${root}/c`, { x: "1" });
    await call("DELETE", `secret/data/${root}/c`);
    for (const query of ["list=true", "list=1"]) {
      const listed = await call("GET", `secret/metadata/${root}?${query}`);
      assert.equal(listed.status, 200);
      assert.deepEqual(listed.body.data, { keys: ["a", "b/", "c"] });
    }
    assert.deepEqual((await call("GET", `secret/metadata/${root}/b/?list=true`)).body.data.keys, ["c", "d/"]);
    assert.ok((await call("GET", "secret/metadata/?list=true")).body.data.keys.includes(`${root}/`));
    assert.deepEqual(await call("GET", `secret/metadata/${root}/nothing?list=true`), { status: 404, body: { errors: [] } });
    // list=false is a plain metadata read.
    assert.equal((await call("GET", `secret/metadata/${root}/a?list=false`)).body.data.current_version, 1);
  });

  test("the LIST verb never reaches the double: Node's HTTP parser answers 400", async () => {
    const { port } = new URL(double.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(`LIST /v1/secret/metadata/ HTTP/1.1\r\nHost: x\r\nX-Vault-Token: ${double.token}\r\nConnection: close\r\n\r\n`);
      });
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString()));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    assert.match(reply, /^HTTP\/1\.1 400 /);
  });

  test("unknown routes are 404, wrong methods 405, bad JSON 400, bodies over 1 MiB 413", async () => {
    assert.deepEqual(await call("GET", "sys/health"), { status: 404, body: { errors: ["no handler for route"] } });
    assert.deepEqual(await call("GET", "other-mount/data/x"), { status: 404, body: { errors: ["no handler for route"] } });
    assert.deepEqual(await call("GET", "secret/config/x"), { status: 404, body: { errors: ["no handler for route"] } });
    assert.equal((await call("PATCH", `secret/data/${key()}`, { data: {} })).status, 405);
    assert.equal((await call("GET", `secret/destroy/${key()}`)).status, 405);
    assert.equal((await call("DELETE", `secret/undelete/${key()}`)).status, 405);

    const bad = await call("POST", `secret/data/${key()}`, "{not json");
    assert.equal(bad.status, 400);
    assert.match(bad.body.errors[0], /failed to parse JSON/);
    assert.equal((await call("POST", `secret/data/${key()}`, { options: { cas: 0 } })).status, 400, "no data");

    const path = key();
    const huge = await call("POST", `secret/data/${path}`, { data: { blob: "x".repeat(1024 * 1024 + 1) } });
    assert.equal(huge.status, 413);
    assert.equal((await call("GET", `secret/data/${path}`)).status, 404, "nothing was written");
  });

  test("requests are recorded with method, path without the query, and namespace; bodies never", async () => {
    const path = key();
    const before = double.requests.length;
    await call("POST", `secret/data/${path}`, { data: { secret: "do-not-record-me" } }, { "X-Vault-Namespace": "team-a/" });
    await call("GET", `secret/data/${path}?version=1`);
    assert.deepEqual(double.requests.slice(before), [
      { method: "POST", path: `/v1/secret/data/${path}`, namespace: "team-a/" },
      { method: "GET", path: `/v1/secret/data/${path}` },
    ]);
    assert.ok(!JSON.stringify(double.requests).includes("do-not-record-me"));
  });

  test("each namespace has its own copy of the mount", async () => {
    const path = key();
    await call("POST", `secret/data/${path}`, { data: { v: "ns" } }, { "X-Vault-Namespace": "team-b" });
    assert.equal((await call("GET", `secret/data/${path}`)).status, 404);
    const inNamespace = await call("GET", `secret/data/${path}`, undefined, { "X-Vault-Namespace": "/team-b/" });
    assert.deepEqual(inNamespace.body.data.data, { v: "ns" });
  });

  test("a custom mount and token; stop() closes kept-alive connections", async () => {
    const other = await startKv2Double({ mount: "kv", token: "t0k" });
    const headers = { "X-Vault-Token": "t0k", "Content-Type": "application/json" };
    const written = await fetch(`${other.url}/v1/kv/data/x`, { method: "POST", headers, body: JSON.stringify({ data: { a: "b" } }) });
    assert.equal(written.status, 200);
    await written.text();
    assert.equal((await fetch(`${other.url}/v1/secret/data/x`, { headers })).status, 404);
    await other.stop();
    await other.stop();
    await assert.rejects(fetch(`${other.url}/v1/kv/data/x`, { headers }));
  });
});
