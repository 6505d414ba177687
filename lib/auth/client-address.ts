import "server-only";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";

/**
 * The address a request came from, for throttling sign-in per client.
 *
 * Route handlers never see the socket: the server entry writes its remote
 * address into X-Forwarded-For (settleClientAddress). Without a proxy we
 * trust (TRUST_PROXY unset), the header a client sent is dropped first, so
 * what remains is the socket's. Behind our proxy (TRUST_PROXY=true) the
 * right-most entry is the one that proxy appended: entries left of it are
 * whatever the client claimed.
 */
export function clientAddress(headers: Headers): string {
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  const candidate = entries.at(-1) ?? "";
  // A link-local peer's zone (`fe80::1%eth0`) names our interface, not the client; the URL parser below refuses it.
  const address = candidate.replace(/^::ffff:/i, "").replace(/%.*$/, "");
  return isIP(address) ? address : "unknown";
}

/**
 * What a per-address limit counts against: an IPv4 address itself, an IPv6
 * address's /64. One IPv6 subscriber or host is routinely given a whole /64,
 * so counting each of its 2^64 addresses apart would be no limit at all.
 */
export function throttleBucket(address: string): string {
  if (isIP(address) !== 6) return address;
  // The URL parser writes the address in its canonical form: lower case, hex groups, one "::" at most.
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head, tail = ""] = canonical.split("::");
  const left = head ? head.split(":") : [];
  const right = canonical.includes("::") && tail ? tail.split(":") : [];
  const groups = canonical.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).join(":")}::/64`;
}

/**
 * Run by the server entry (server.ts) as each request arrives, before /v1
 * handlers or Next see it: a client-sent X-Forwarded-For is forgotten unless
 * a proxy we trust set it, and a request left without one gets the socket's
 * address, so `clientAddress` reads the same value on every path.
 */
export function settleClientAddress(req: IncomingMessage, options: { trustProxy: boolean }): void {
  if (!options.trustProxy) delete req.headers["x-forwarded-for"];
  if (req.headers["x-forwarded-for"] === undefined && req.socket.remoteAddress) req.headers["x-forwarded-for"] = req.socket.remoteAddress;
}
