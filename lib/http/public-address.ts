import "server-only";
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { namesZonedAddress } from "./outbound-url";

/**
 * Where the console may send a request a user configured (a reminder
 * webhook): only to public unicast addresses, never to the machine itself,
 * its network or a cloud's metadata service (server-side request forgery).
 *
 * The blocks are the IANA special-purpose address registries' (RFC 6890 and
 * successors), matched by Node's own BlockList, which also matches an
 * IPv4-mapped IPv6 address (::ffff:a.b.c.d) against the IPv4 blocks. Forms
 * that embed an IPv4 address another way (IPv4-translated ::ffff:0:a.b.c.d,
 * NAT64, 6to4, Teredo, IPv4-compatible) are refused whole. Decimal, hex and
 * octal IPv4 spellings in a URL (http://2130706433/, http://0x7f.1/) are
 * normalised to dotted quads by the WHATWG URL parser before they get here,
 * and a name the resolver reads that way is judged by what it resolves to.
 *
 * This is the one policy for every URL the server sends to on a user's
 * behalf: checkOutboundUrl() when it is saved, resolvePublicAddress() again
 * at connect time, whose answer the connection is pinned to.
 */
const BLOCKS: [network: string, prefix: number, type: "ipv4" | "ipv6", why: string][] = [
  ["0.0.0.0", 8, "ipv4", "this network; 0.0.0.0 is unspecified and reaches the host itself"],
  ["10.0.0.0", 8, "ipv4", "private (RFC 1918)"],
  ["100.64.0.0", 10, "ipv4", "carrier-grade NAT (RFC 6598); Alibaba Cloud's metadata at 100.100.100.200"],
  ["127.0.0.0", 8, "ipv4", "loopback"],
  ["169.254.0.0", 16, "ipv4", "link-local; the cloud metadata services at 169.254.169.254"],
  ["172.16.0.0", 12, "ipv4", "private (RFC 1918)"],
  ["192.0.0.0", 24, "ipv4", "IETF protocol assignments"],
  ["192.0.2.0", 24, "ipv4", "documentation (TEST-NET-1)"],
  ["192.88.99.0", 24, "ipv4", "6to4 relay anycast (deprecated)"],
  ["192.168.0.0", 16, "ipv4", "private (RFC 1918)"],
  ["198.18.0.0", 15, "ipv4", "benchmarking"],
  ["198.51.100.0", 24, "ipv4", "documentation (TEST-NET-2)"],
  ["203.0.113.0", 24, "ipv4", "documentation (TEST-NET-3)"],
  ["224.0.0.0", 4, "ipv4", "multicast"],
  ["240.0.0.0", 4, "ipv4", "reserved, and the limited broadcast address"],
  ["::", 96, "ipv6", "unspecified (::), loopback (::1) and IPv4-compatible (deprecated)"],
  ["::ffff:0:0:0", 96, "ipv6", "IPv4-translated (RFC 2765, SIIT): embeds an IPv4 address the mapped check does not see"],
  ["64:ff9b::", 96, "ipv6", "NAT64 (RFC 6052): embeds an IPv4 address"],
  ["64:ff9b:1::", 48, "ipv6", "local-use NAT64 (RFC 8215)"],
  ["100::", 64, "ipv6", "discard-only"],
  ["2001::", 23, "ipv6", "IETF protocol assignments, Teredo (2001::/32) among them"],
  ["2001:db8::", 32, "ipv6", "documentation"],
  ["2002::", 16, "ipv6", "6to4: embeds an IPv4 address"],
  ["fc00::", 7, "ipv6", "unique-local; AWS's metadata at fd00:ec2::254"],
  ["fe80::", 10, "ipv6", "link-local"],
  ["fec0::", 10, "ipv6", "site-local (deprecated)"],
  ["ff00::", 8, "ipv6", "multicast"],
];

const internal = new BlockList();
for (const [network, prefix, type] of BLOCKS) internal.addSubnet(network, prefix, type);

/**
 * Whether `address` (an IP literal, brackets allowed) is a public unicast address; anything that is not
 * an IP is not. A zone id (fe80::1%eth0) names a link: never public.
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, "$1");
  const family = isIP(bare);
  if (family === 0 || bare.includes("%")) return false;
  return !internal.check(bare, family === 4 ? "ipv4" : "ipv6");
}

/** `localhost` and everything under it are the machine itself (RFC 6761), whatever a resolver says. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost");
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver (getaddrinfo, so /etc/hosts counts), every address. */
export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

export type AddressRefusal = "ADDRESS_NOT_PUBLIC" | "HOST_UNRESOLVABLE" | "URL_INVALID";

/** Why a URL or host was refused: a stable code for the trail and the API, never the address itself. */
export class AddressRefusedError extends Error {
  override name = "AddressRefusedError";
  constructor(readonly code: AddressRefusal) {
    super(
      code === "ADDRESS_NOT_PUBLIC"
        ? "the host is or resolves to an internal address"
        : code === "HOST_UNRESOLVABLE"
          ? "the host name does not resolve"
          : "not an http(s) URL without credentials",
    );
  }
}

/**
 * The save-time check of a URL the server will send to: http or https, no
 * user name or password in it (http://evil@127.0.0.1/ names 127.0.0.1), and
 * a host that is, and resolves only to, public addresses. An IPv6 literal
 * with a zone id (http://[fe80::1%25eth0]/), which the URL parser cannot
 * read, is link-local and refused as such rather than failing to parse.
 * Returns the parsed URL; throws AddressRefusedError.
 */
export async function checkOutboundUrl(raw: string, options: { allowPrivate: boolean; resolve?: Resolver }): Promise<URL> {
  const url = parseOutboundUrl(raw);
  await resolvePublicAddress(url.hostname, options);
  return url;
}

/** The URL part of checkOutboundUrl, without resolving: what a form can say before the server looks the name up. */
export function parseOutboundUrl(raw: string): URL {
  if (namesZonedAddress(raw)) throw new AddressRefusedError("ADDRESS_NOT_PUBLIC");
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AddressRefusedError("URL_INVALID");
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password) throw new AddressRefusedError("URL_INVALID");
  return url;
}

/**
 * The one address a request to `hostname` may connect to. An IP literal is
 * itself; a name is resolved once, and refused if any of its addresses is
 * internal (so a name cannot smuggle one in among public ones). The caller
 * connects to the returned address and no other, so a DNS answer that
 * changes between this check and the connection (rebinding) cannot redirect
 * it. `allowPrivate` (WEBHOOK_ALLOW_PRIVATE_ADDRESSES) skips the refusal,
 * not the pinning.
 */
export async function resolvePublicAddress(
  hostname: string,
  options: { allowPrivate: boolean; resolve?: Resolver },
): Promise<ResolvedAddress> {
  const bare = hostname.replace(/^\[(.*)\]$/, "$1");
  if (!options.allowPrivate && isLocalhostName(bare)) throw new AddressRefusedError("ADDRESS_NOT_PUBLIC");
  const literal = isIP(bare);
  let addresses: ResolvedAddress[];
  if (literal !== 0) addresses = [{ address: bare, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await (options.resolve ?? systemResolver)(bare);
    } catch {
      throw new AddressRefusedError("HOST_UNRESOLVABLE");
    }
  }
  if (addresses.length === 0) throw new AddressRefusedError("HOST_UNRESOLVABLE");
  if (!options.allowPrivate && !addresses.every((a) => isPublicAddress(a.address))) throw new AddressRefusedError("ADDRESS_NOT_PUBLIC");
  return addresses[0];
}
