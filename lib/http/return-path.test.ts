import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { returnPath } from "./return-path";

const origin = "https://console.example";

/** What a browser would do with the answer: resolve it against the page it is on. */
function landsOn(path: string): string {
  return new URL(path, `${origin}/login`).origin;
}

describe("the path to return to after signing in", () => {
  test("a path on this console survives, query and fragment included", () => {
    for (const path of [
      "/clouds",
      "/credentials/expiring?from=mail",
      "/device?user_code=ABCD-EFGH",
      "/clouds/x#manage",
      "/settings/sessions",
      "/projects/caf%C3%A9",
    ]) {
      assert.equal(returnPath(path, { origin }), path);
    }
  });

  test("dot segments are resolved the way a browser resolves them", () => {
    assert.equal(returnPath("/clouds/../settings/tokens", { origin }), "/settings/tokens");
    assert.equal(returnPath("/./clouds", { origin }), "/clouds");
  });

  test("an absolute URL on this console's origin becomes its path", () => {
    assert.equal(returnPath(`${origin}/credentials/expiring?from=mail`, { origin }), "/credentials/expiring?from=mail");
    assert.equal(returnPath(`${origin}`, { origin }), "/");
    assert.equal(returnPath(`${origin}/..//evil.example/`, { origin }), "/clouds");
  });

  test("every spelling of another origin, a script or a scheme-relative URL falls back", () => {
    const hostile = [
      "//evil.example",
      "//evil.example/phish",
      "///evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "\\/evil.example",
      "/%2F%2Fevil.example",
      "/%2f/evil.example",
      "/%252F%252Fevil.example",
      "/%5Cevil.example",
      "/%5cevil.example",
      "/%255Cevil.example",
      "/..//evil.example/phish",
      "/.//evil.example",
      "/%2e%2e//evil.example",
      "/%2E//evil.example",
      "/clouds/../..//evil.example",
      "/a/../../..//evil.example",
      "https://evil.example",
      "https://evil.example/clouds",
      "http:evil.example",
      "https:/evil.example",
      "http://console.example.evil.example/",
      "https://console.example@evil.example/",
      "https://user:pass@console.example/clouds",
      "http://console.example/clouds",
      "javascript:alert(1)",
      "JavaScript:alert(1)",
      " javascript:alert(1)",
      "java\tscript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r/evil.example",
      "\t//evil.example",
      " //evil.example",
      "/ /evil.example",
      "/%09/evil.example",
      "/%0a/evil.example",
      "/%0D/evil.example",
      "/%20/evil.example",
      "/\u0000//evil.example",
      "/\uff0fevil.example",
      "/\uff0f\uff0fevil.example",
      "/\u2215\u2215evil.example",
      "/\u2044evil.example",
      "/\uff3cevil.example",
      "/%EF%BC%8F%EF%BC%8Fevil.example",
      "/\u202e/evil.example",
      "/\u200b/evil.example",
      "/\u00a0/evil.example",
      "/%",
      "/%zz",
      "clouds",
      "evil.example",
      "?next=//evil.example",
      "#//evil.example",
      "",
      "/" + "a".repeat(4096),
    ];
    for (const value of hostile) {
      const answer = returnPath(value, { origin });
      assert.equal(answer, "/clouds", `${JSON.stringify(value)} became ${JSON.stringify(answer)}`);
    }
  });

  test("whatever it is sent, the answer keeps a browser on this origin", () => {
    const samples = [
      "/..//evil.example",
      "/a/b/../../..//x",
      "/%2e%2e/%2e%2e//x",
      "/clouds?next=//evil.example",
      "/clouds#//evil.example",
      `${origin}/%2F%2Fx`,
    ];
    for (const value of samples) assert.equal(landsOn(returnPath(value, { origin })), origin, value);
  });

  test("without an origin every absolute URL falls back; a chosen fallback is used; non-strings fall back", () => {
    assert.equal(returnPath(`${origin}/clouds`), "/clouds");
    assert.equal(returnPath("//evil.example", { fallback: "/" }), "/");
    assert.equal(returnPath(["/clouds", "//evil.example"] as unknown), "/clouds");
    assert.equal(returnPath(undefined), "/clouds");
  });
});
