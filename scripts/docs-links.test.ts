import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";

/**
 * The README and docs/ link to each other by relative paths and heading
 * anchors; a page moved or a heading renamed must not leave a reader at a
 * dead end. Links to other sites are not followed (no network in tests).
 */
const root = path.resolve(import.meta.dirname, "..");

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return markdownFiles(full);
    return name.endsWith(".md") ? [full] : [];
  });
}

/** The pages a reader navigates: the README, the changelog, and everything under docs/. */
function documentation(base: string): string[] {
  const top = ["README.md", "CHANGELOG.md"].map((name) => path.join(base, name)).filter(existsSync);
  const docs = path.join(base, "docs");
  return [...top, ...(existsSync(docs) ? markdownFiles(docs) : [])];
}

/** Markdown as a reader sees it: fenced code, inline code and HTML comments hold no links. */
function prose(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/`[^`\n]*`/g, "``");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const [, heading] of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = heading
      .replace(/<[^>]+>/g, "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** Every relative link in `file` that leads nowhere, as "file: target (why)". */
function brokenLinks(file: string, base: string): string[] {
  const text = readFileSync(file, "utf8");
  const broken: string[] = [];
  for (const [, target] of prose(text).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: and the like
    const [pathPart, anchor] = target.split("#", 2) as [string, string | undefined];
    const resolved = pathPart ? path.resolve(path.dirname(file), decodeURIComponent(pathPart)) : file;
    const where = `${path.relative(base, file)}: ${target}`;
    if (!resolved.startsWith(base + path.sep) && resolved !== base) {
      broken.push(`${where} (outside the repository)`);
    } else if (!existsSync(resolved)) {
      broken.push(`${where} (no such file)`);
    } else if (anchor && resolved.endsWith(".md") && !anchorsOf(readFileSync(resolved, "utf8")).has(anchor)) {
      broken.push(`${where} (no such heading)`);
    }
  }
  return broken;
}

test("every relative link in the README and docs/ leads to a file, and every anchor to a heading", () => {
  const files = documentation(root);
  assert.ok(
    files.some((f) => f.endsWith(path.join("docs", "README.md"))),
    "docs/README.md is the index of the docs tree",
  );
  assert.deepEqual(
    files.flatMap((file) => brokenLinks(file, root)),
    [],
  );
});

test("the README stays short: under 8 KB", () => {
  assert.ok(statSync(path.join(root, "README.md")).size < 8 * 1024);
});

const fixture = mkdtempSync(path.join(tmpdir(), "docs-links-"));
after(() => rmSync(fixture, { recursive: true, force: true }));

test("a missing page, a missing heading and a path out of the repository are each reported", () => {
  mkdirSync(path.join(fixture, "docs", "guide"), { recursive: true });
  writeFileSync(path.join(fixture, "docs", "README.md"), "# Docs\n\n## Where we differ\n");
  writeFileSync(
    path.join(fixture, "README.md"),
    [
      "# Project",
      "[ok](docs/README.md) [ok anchor](docs/README.md#where-we-differ) [own](#project) [web](https://example.com/x.md)",
      "[gone](docs/guide/gone.md) [bad anchor](docs/README.md#nowhere) [escape](../elsewhere.md)",
      "`[in code](docs/none.md)`",
      "```",
      "[in a fence](docs/none.md)",
      "```",
    ].join("\n"),
  );
  assert.deepEqual(brokenLinks(path.join(fixture, "README.md"), fixture), [
    "README.md: docs/guide/gone.md (no such file)",
    "README.md: docs/README.md#nowhere (no such heading)",
    "README.md: ../elsewhere.md (outside the repository)",
  ]);
});

test("anchors follow GitHub's rules: code and punctuation dropped, repeats numbered", () => {
  const anchors = anchorsOf("# `/v1` outside Next's pipeline\n## The provider shape check, and strict Clouds\n## Notes\n## Notes\n");
  assert.deepEqual([...anchors], ["v1-outside-nexts-pipeline", "the-provider-shape-check-and-strict-clouds", "notes", "notes-1"]);
});
