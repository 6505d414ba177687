import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/**
 * The JavaScript a browser must fetch to run a page: every script the
 * page's HTML names (src= and the preload links Next writes for them),
 * read from the build's own files under .next/static and gzipped at
 * level 9, each counted once. `noModule` scripts (Next's legacy polyfills)
 * are left out: every browser that runs ES modules skips them, as Next's
 * own "First Load JS" figure does.
 */
export function firstLoadJs(html: string, root: string): { files: number; gzipBytes: number; missing: string[] } {
  const urls = new Set<string>();
  for (const match of html.matchAll(/<script([^>]*)\ssrc="([^"]+\.js)"([^>]*)>/g)) {
    if (!/\snomodule/i.test(`${match[1]} ${match[3]}`)) urls.add(match[2]);
  }
  for (const match of html.matchAll(
    /<link[^>]*rel="preload"[^>]*as="script"[^>]*href="([^"]+\.js)"|<link[^>]*href="([^"]+\.js)"[^>]*as="script"/g,
  )) {
    urls.add(match[1] ?? match[2]);
  }
  let gzipBytes = 0;
  const missing: string[] = [];
  for (const url of urls) {
    const pathname = decodeURIComponent(new URL(url, "http://x").pathname);
    if (!pathname.startsWith("/_next/static/")) continue;
    const file = path.join(root, ".next", "static", pathname.slice("/_next/static/".length));
    if (!existsSync(file)) {
      missing.push(pathname);
      continue;
    }
    gzipBytes += gzipSync(readFileSync(file), { level: 9 }).length;
  }
  return { files: urls.size, gzipBytes, missing };
}
