import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createCloudFormSchema } from "@/lib/clouds/schema";
import { credentialDisplayNameSchema } from "@/lib/credentials/schema";
import { accountEmailSchema, acceptInvitationSchema, personNameSchema } from "@/lib/identity/invitation-rules";
import { createGroupSchema } from "@/lib/identity/group-admin";
import { createTokenSchema, deviceTokenName, tokenNameSchema } from "@/lib/tokens/schema";
import { INVISIBLES } from "@/testing/invisibles";
import { emailField, hasInvisibleCharacters, nameField, normaliseEmail, normaliseName, stripInvisible } from "./names";

const fine = ["Ada Lovelace", "Zoë Müller", "José Núñez", "محمد", "山田太郎", "Ops & SRE (EU)", "🚀 launch", "O'Brien-Smith"];

describe("the one rule for names and emails", () => {
  test("every invisible or reordering character is caught, wherever it stands", () => {
    for (const [label, ch] of INVISIBLES) {
      for (const text of [`Ada${ch}`, `${ch}Ada`, `A${ch}da`])
        assert.ok(hasInvisibleCharacters(text), `${label} in ${JSON.stringify(text)}`);
    }
    for (const name of fine) assert.equal(hasInvisibleCharacters(name), false, name);
  });

  test("names are refused with a field message at every typed entry point; ordinary names in any script pass", () => {
    const entryPoints: [string, (value: string) => { success: boolean }][] = [
      ["person (invitation, admin command)", (v) => personNameSchema.safeParse(v)],
      ["accepting an invitation", (v) => acceptInvitationSchema.safeParse({ displayName: v, password: "a long enough password" })],
      ["group", (v) => createGroupSchema.safeParse({ slug: "ops", displayName: v, source: "manual" })],
      ["Cloud", (v) => createCloudFormSchema.shape.display_name.safeParse(v)],
      ["credential", (v) => credentialDisplayNameSchema.safeParse(v)],
      ["token", (v) => tokenNameSchema.safeParse(v)],
      ["token form", (v) => createTokenSchema.safeParse({ name: v, env_prefix: "prod", ttl_days: 30 })],
    ];
    for (const [where, parse] of entryPoints) {
      for (const [label, ch] of INVISIBLES) {
        for (const text of [`Ops${ch}`, `O${ch}ps`, `${ch}Ops`]) {
          // A leading or trailing tab or newline is only whitespace, trimmed away like a space.
          if (/^\s$/.test(ch) && text !== `O${ch}ps`) continue;
          assert.equal(parse(text).success, false, `${where}: ${label} in ${JSON.stringify(text)}`);
        }
      }
      for (const name of fine) assert.ok(parse(name).success, `${where}: ${name}`);
    }
    const refusal = nameField({ label: "a name", max: 10 }).safeParse("Ops\u202e");
    assert.ok(!refusal.success && /not allowed/.test(refusal.error.issues[0].message));
  });

  test("a name is stored as it compares: compatibility forms folded, spaces collapsed, trimmed", () => {
    assert.equal(normaliseName("  Ops\u00a0\u00a0Team\u3000"), "Ops Team");
    assert.equal(normaliseName("ＯＰＳ"), "OPS");
    assert.equal(normaliseName("\ufb01nance"), "finance");
    assert.equal(normaliseName("Zoe\u0308"), "Zoë");
    assert.equal(personNameSchema.parse(" Ada\u2003Lovelace "), "Ada Lovelace");
  });

  test("invited and account emails: one address is one account, whatever its case, width or invisible company", () => {
    for (const [label, ch] of INVISIBLES) {
      for (const text of [`owner@example.com${ch}`, `own${ch}er@example.com`, `owner@exa${ch}mple.com`]) {
        if (/^\s$/.test(ch) && text.endsWith(ch)) continue;
        assert.equal(accountEmailSchema.safeParse(text).success, false, `${label} in ${JSON.stringify(text)}`);
      }
    }
    assert.equal(accountEmailSchema.parse(" Owner@Example.COM "), "owner@example.com");
    assert.equal(accountEmailSchema.parse("ｏｗｎｅｒ@ｅｘａｍｐｌｅ.ｃｏｍ"), "owner@example.com");
    assert.equal(normaliseEmail("OWNER@EXAMPLE.COM"), "owner@example.com");
    for (const bad of ["", "owner", "owner@", "@example.com", "a b@example.com", `${"a".repeat(250)}@example.com`]) {
      assert.equal(emailField().safeParse(bad).success, false, bad);
    }
  });

  test("text we cannot refuse (an IdP's name, a CLI's label) is cleaned instead", () => {
    assert.equal(stripInvisible("Ada\u202eecalevol\u202c"), "Adaecalevol");
    assert.equal(stripInvisible("\u200bAda\u00a0 Lovelace\ufeff"), "Ada Lovelace");
    assert.equal(stripInvisible("\u200b\u200d"), "");
    for (const [label, ch] of INVISIBLES) assert.equal(hasInvisibleCharacters(deviceTokenName(`plexctl${ch} (linux)`)), false, label);
  });
});
