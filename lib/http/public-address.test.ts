import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AddressRefusedError, isPublicAddress, resolvePublicAddress } from "./public-address";

describe("public addresses", () => {
  test("loopback, private, link-local, unique-local, CGNAT, unspecified, metadata and embedded-IPv4 forms are not public", () => {
    const internal = [
      "127.0.0.1", "127.255.255.254", "0.0.0.0", "0.1.2.3", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1",
      "169.254.169.254", "100.64.0.1", "100.100.100.200", "192.0.0.192", "198.18.0.1", "224.0.0.1", "255.255.255.255", "192.0.2.1",
      "::", "::1", "[::1]", "fe80::1", "fd00:ec2::254", "fc00::1", "ff02::1", "fec0::1",
      "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:a9fe:a9fe", "::ffff:10.0.0.1", "::127.0.0.1",
      "64:ff9b::7f00:1", "64:ff9b:1::1", "2002:7f00:1::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:db8::1", "100::1",
      "localhost", "not an address", "",
    ];
    for (const address of internal) assert.equal(isPublicAddress(address), false, address);
  });

  test("public unicast addresses are, IPv4-mapped ones included", () => {
    for (const address of ["93.184.215.14", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "::ffff:8.8.8.8", "2606:4700:4700::1111", "[2a00:1450:4001:82b::200e]"]) {
      assert.equal(isPublicAddress(address), true, address);
    }
  });

  test("a name is resolved once and refused when any of its addresses is internal, unless private addresses are allowed", async () => {
    const answers = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(":") ? (6 as const) : (4 as const) }));
    assert.deepEqual(await resolvePublicAddress("hooks.example.com", { allowPrivate: false, resolve: answers("93.184.215.14") }), { address: "93.184.215.14", family: 4 });
    await assert.rejects(resolvePublicAddress("hooks.example.com", { allowPrivate: false, resolve: answers("93.184.215.14", "::1") }), (e: AddressRefusedError) => e.code === "ADDRESS_NOT_PUBLIC");
    await assert.rejects(resolvePublicAddress("hooks.example.com", { allowPrivate: false, resolve: answers() }), (e: AddressRefusedError) => e.code === "HOST_UNRESOLVABLE");
    await assert.rejects(resolvePublicAddress("[::ffff:7f00:1]", { allowPrivate: false }), (e: AddressRefusedError) => e.code === "ADDRESS_NOT_PUBLIC");
    assert.deepEqual(await resolvePublicAddress("[::1]", { allowPrivate: true }), { address: "::1", family: 6 });
    assert.deepEqual(await resolvePublicAddress("hooks.internal", { allowPrivate: true, resolve: answers("10.0.0.7") }), { address: "10.0.0.7", family: 4 });
  });
});
