/**
 * The part of the outbound-URL policy (lib/http/public-address.ts) a
 * browser form may run too: no server-only imports here.
 */

/**
 * An IPv6 literal with a zone id (http://[fe80::1%25eth0]/): link-local by
 * construction, and a form the WHATWG URL parser refuses to read, so it is
 * recognised before parsing rather than surfacing as a parse failure.
 */
export function namesZonedAddress(raw: string): boolean {
  return /^\s*[a-z][a-z0-9+.-]*:\/\/(?:[^/?#\[]*@)?\[[^\]]*%/i.test(raw);
}
