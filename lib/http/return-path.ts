/**
 * Where to send a browser back to after signing in (login `next`,
 * next-auth's `callbackUrl`): a path on this console, or the fallback.
 *
 * Browsers are generous readers of a Location: they drop tabs and
 * newlines, read `\` as `/`, and resolve `/..//host` to `//host`, which is
 * another origin. So a value is judged after normalising, the way a browser
 * would resolve it, and again after percent-decoding, since a later hop
 * (a proxy, a framework redirect) may decode `/%2F%2Fhost` once more.
 * Anything that could name an authority is refused, not repaired.
 */

const FALLBACK = "/clouds";
const BASE = "http://return-path.invalid";
const MAX_LENGTH = 2048;

// Controls, spaces, backslashes, and what reads as a slash, a space or a direction change.
const UNSAFE_CHARACTERS =
  /[\u0000-\u0020\u007f-\u00a0\\\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u2044\u2215\u29f5\u29f8\u29f9\u3000\ufe68\ufeff\uff0f\uff3c]/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

export interface ReturnPathOptions {
  /** This console's origin: an absolute URL on it is accepted as its path. Without it, every absolute URL is refused. */
  origin?: string;
  fallback?: string;
}

/** `value` as a same-origin path (`/x?y#z`), or the fallback when it is anything else. */
export function returnPath(value: unknown, options: ReturnPathOptions = {}): string {
  const fallback = options.fallback ?? FALLBACK;
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH || UNSAFE_CHARACTERS.test(value)) return fallback;
  const path = SCHEME.test(value) ? pathOnOrigin(value, options.origin) : value;
  if (path === undefined || !isLocalPath(path)) return fallback;
  const resolved = new URL(path, BASE);
  const normalised = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // `/..//host` and `/.//host` resolve to `//host`: judge what the browser will ask for, not what was sent.
  if (resolved.origin !== BASE || !isLocalPath(normalised) || !decodesToLocalPath(resolved.pathname)) return fallback;
  return normalised;
}

/** An absolute URL's path, when it is on this console's origin. */
function pathOnOrigin(value: string, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  try {
    const url = new URL(value);
    return url.origin === new URL(origin).origin &&
      (url.protocol === "http:" || url.protocol === "https:") &&
      !url.username &&
      !url.password
      ? `${url.pathname}${url.search}${url.hash}`
      : undefined;
  } catch {
    return undefined;
  }
}

/** One leading slash and no second one: a path, never a scheme-relative `//host`. */
function isLocalPath(value: string): boolean {
  return value.startsWith("/") && !value.startsWith("//");
}

/** The path still names no authority however many times it is percent-decoded. */
function decodesToLocalPath(pathname: string): boolean {
  let current = pathname;
  for (let round = 0; round < 4; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return false;
    }
    if (decoded === current) return true;
    if (
      UNSAFE_CHARACTERS.test(decoded) ||
      !isLocalPath(decoded) ||
      new URL(decoded, BASE).origin !== BASE ||
      !isLocalPath(new URL(decoded, BASE).pathname)
    )
      return false;
    current = decoded;
  }
  return false;
}
