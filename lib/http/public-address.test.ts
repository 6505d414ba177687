import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AddressRefusedError, checkOutboundUrl, isLocalhostName, isPublicAddress, resolvePublicAddress } from "./public-address";

describe("public addresses", () => {
  test("loopback, private, link-local, unique-local, CGNAT, unspecified, metadata and embedded-IPv4 forms are not public", () => {
    const internal = [
      "127.0.0.1",
      "127.255.255.254",
      "0.0.0.0",
      "0.1.2.3",
      "10.0.0.1",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.0.1",
      "169.254.169.254",
      "100.64.0.1",
      "100.100.100.200",
      "192.0.0.192",
      "198.18.0.1",
      "224.0.0.1",
      "255.255.255.255",
      "192.0.2.1",
      "::",
      "::1",
      "[::1]",
      "fe80::1",
      "fd00:ec2::254",
      "fc00::1",
      "ff02::1",
      "fec0::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "::ffff:a9fe:a9fe",
      "::ffff:10.0.0.1",
      "::127.0.0.1",
      "::ffff:0:7f00:1",
      "::ffff:0:127.0.0.1",
      "::ffff:0:808:808",
      "[::ffff:0:a00:1]",
      "::7f00:1",
      "::a9fe:a9fe",
      "64:ff9b::a00:1",
      "64:ff9b::a9fe:a9fe",
      "2002:a00:1::",
      "2002:c0a8:101::1",
      "2001::1",
      "2001:0:4136:e378:8000:63bf:3fff:fdd2",
      "fe80::1%eth0",
      "fe80::1%1",
      "febf::1",
      "fdff:ffff::1",
      "ff05::2",
      "ffff::1",
      "239.255.255.250",
      "100.127.255.254",
      "169.254.0.1",
      "127.1.2.3",
      "0.255.255.255",
      "64:ff9b::7f00:1",
      "64:ff9b:1::1",
      "2002:7f00:1::1",
      "2001:0:4136:e378:8000:63bf:3fff:fdd2",
      "2001:db8::1",
      "100::1",
      "localhost",
      "not an address",
      "",
    ];
    for (const address of internal) assert.equal(isPublicAddress(address), false, address);
  });

  test("public unicast addresses are, IPv4-mapped ones included", () => {
    for (const address of [
      "93.184.215.14",
      "8.8.8.8",
      "1.1.1.1",
      "172.32.0.1",
      "100.128.0.1",
      "::ffff:8.8.8.8",
      "2606:4700:4700::1111",
      "[2a00:1450:4001:82b::200e]",
    ]) {
      assert.equal(isPublicAddress(address), true, address);
    }
  });

  test("a name is resolved once and refused when any of its addresses is internal, unless private addresses are allowed", async () => {
    const answers =
      (...addresses: string[]) =>
      async () =>
        addresses.map((address) => ({ address, family: address.includes(":") ? (6 as const) : (4 as const) }));
    assert.deepEqual(await resolvePublicAddress("hooks.example.com", { allowPrivate: false, resolve: answers("93.184.215.14") }), {
      address: "93.184.215.14",
      family: 4,
    });
    await assert.rejects(
      resolvePublicAddress("hooks.example.com", { allowPrivate: false, resolve: answers("93.184.215.14", "::1") }),
      (e: AddressRefusedError) => e.code === "ADDRESS_NOT_PUBLIC",
    );
    await assert.rejects(
      resolvePublicAddress("hooks.example.com", { allowPrivate: false, resolve: answers() }),
      (e: AddressRefusedError) => e.code === "HOST_UNRESOLVABLE",
    );
    await assert.rejects(
      resolvePublicAddress("[::ffff:7f00:1]", { allowPrivate: false }),
      (e: AddressRefusedError) => e.code === "ADDRESS_NOT_PUBLIC",
    );
    assert.deepEqual(await resolvePublicAddress("[::1]", { allowPrivate: true }), { address: "::1", family: 6 });
    assert.deepEqual(await resolvePublicAddress("hooks.internal", { allowPrivate: true, resolve: answers("10.0.0.7") }), {
      address: "10.0.0.7",
      family: 4,
    });
  });

  test("localhost and every name under it are the machine itself, trailing dot or not", () => {
    for (const name of ["localhost", "LOCALHOST", "localhost.", "a.localhost", "a.b.LocalHost."])
      assert.equal(isLocalhostName(name), true, name);
    for (const name of ["localhost.example.com", "notlocalhost", "example.com"]) assert.equal(isLocalhostName(name), false, name);
  });

  test("a URL is checked whole: scheme, credentials, a zoned or internal literal in any spelling, a localhost name, what a name resolves to", async () => {
    const publicAnswer = async () => [{ address: "93.184.215.14", family: 4 as const }];
    const refused = async (url: string, code: string) =>
      assert.rejects(
        checkOutboundUrl(url, { allowPrivate: false, resolve: publicAnswer }),
        (e: AddressRefusedError) => e instanceof AddressRefusedError && e.code === code,
        url,
      );
    for (const url of [
      "ftp://hooks.example.com/",
      "file:///etc/passwd",
      "gopher://hooks.example.com/",
      "ws://hooks.example.com/",
      "http://evil@hooks.example.com/",
      "https://a:b@hooks.example.com/",
      "not a url",
      "http://[::1/",
    ]) {
      await refused(url, "URL_INVALID");
    }
    const internal = [
      "http://[::ffff:0:7f00:1]/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::ffff:7f00:1]/",
      "http://[::ffff:0:127.0.0.1]/",
      "http://[::127.0.0.1]/",
      "http://[64:ff9b::7f00:1]/",
      "http://[2002:7f00:1::]/",
      "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
      "http://[fe80::1%25eth0]/",
      "http://[fe80::1%eth0]/",
      "http://[FE80::1%25ETH0]:80/",
      "http://[fe80::1]/",
      "http://[fd12:3456::1]/",
      "http://[ff02::1]/",
      "http://2130706433/",
      "http://0x7f.1/",
      "http://0177.0.0.1/",
      "http://0x7f000001/",
      "http://127.1/",
      "http://0/",
      "http://0.0.0.0/",
      "http://100.64.0.1/",
      "http://169.254.169.254/",
      "http://224.0.0.251/",
      "http://localhost/",
      "http://localhost./",
      "http://hooks.localhost/",
      "http://127.0.0.1./",
    ];
    for (const url of internal) await refused(url, "ADDRESS_NOT_PUBLIC");
    // userinfo cannot smuggle a host: the host is what follows the @, and credentials are refused anyway.
    await refused("http://hooks.example.com@127.0.0.1/", "URL_INVALID");
    assert.equal(
      (await checkOutboundUrl("https://hooks.example.com/x", { allowPrivate: false, resolve: publicAnswer })).hostname,
      "hooks.example.com",
    );
    assert.equal((await checkOutboundUrl("https://93.184.215.14/x", { allowPrivate: false })).hostname, "93.184.215.14");
    // WEBHOOK_ALLOW_PRIVATE_ADDRESSES lifts the address refusal, not the URL rules.
    assert.equal((await checkOutboundUrl("http://127.0.0.1:8080/", { allowPrivate: true })).port, "8080");
    await assert.rejects(
      checkOutboundUrl("http://u@127.0.0.1/", { allowPrivate: true }),
      (e: AddressRefusedError) => e.code === "URL_INVALID",
    );
  });
});
