import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { DIGEST_FILE, SERVER_BUNDLE, buildDecision, sourceDigest } from "./start-build.mjs";

const root = mkdtempSync(path.join(tmpdir(), "start-build-"));
after(() => rmSync(root, { recursive: true, force: true }));

const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};
/** What `npm start` leaves after a successful build. */
const finishBuild = () => {
  write(".next/BUILD_ID", "b1");
  write(SERVER_BUNDLE, "export {}");
  write(DIGEST_FILE, sourceDigest(root));
};

write("app/page.tsx", "export default 1");
write("lib/clouds/service.ts", "export const a = 1");
write("package-lock.json", "{}");

test("a checkout without a build builds", () => {
  assert.equal(buildDecision(root).build, true);
});

test("a build without a recorded digest builds again (its sources are unknown)", () => {
  write(".next/BUILD_ID", "b1");
  assert.equal(buildDecision(root).build, true);
});

test("a build without the server entry's bundle builds again", () => {
  finishBuild();
  rmSync(path.join(root, SERVER_BUNDLE));
  assert.deepEqual(buildDecision(root), { build: true, reason: "no server bundle yet" });
});

test("an up-to-date build is served as it is", () => {
  finishBuild();
  assert.deepEqual(buildDecision(root).build, false);
});

test("editing a source, the lockfile or adding a file rebuilds; editing a test does not", () => {
  finishBuild();
  write("lib/clouds/service.test.ts", "test()");
  assert.equal(buildDecision(root).build, false, "a test file is not part of the build");

  write("lib/clouds/service.ts", "export const a = 2");
  assert.equal(buildDecision(root).build, true);
  finishBuild();

  write("package-lock.json", '{"lockfileVersion":3}');
  assert.equal(buildDecision(root).build, true);
  finishBuild();

  write("components/New.tsx", "export {}");
  assert.equal(buildDecision(root).build, true);
  finishBuild();
  assert.equal(buildDecision(root).build, false);
});

test("renaming a file changes the digest even when the bytes are the same", () => {
  const before = sourceDigest(root);
  rmSync(path.join(root, "components/New.tsx"));
  write("components/Renamed.tsx", "export {}");
  assert.notEqual(sourceDigest(root), before);
});
