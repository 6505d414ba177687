/** A User-Agent as people say it ("Firefox on Linux"); the full string stays in the cell's title. */
export function deviceSummary(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Firefox\//.test(userAgent)
      ? "Firefox"
      : /Chrome\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : /^plexctl\b/.test(userAgent)
            ? "plexctl"
            : undefined;
  const os = /Windows/.test(userAgent)
    ? "Windows"
    : /Android/.test(userAgent)
      ? "Android"
      : /iPhone|iPad|iOS/.test(userAgent)
        ? "iOS"
        : /Mac OS X|Macintosh/.test(userAgent)
          ? "macOS"
          : /Linux|X11/.test(userAgent)
            ? "Linux"
            : undefined;
  if (browser && os) return `${browser} on ${os}`;
  return browser ?? os ?? Array.from(userAgent).slice(0, 60).join("");
}
