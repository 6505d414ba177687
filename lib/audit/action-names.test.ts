import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { permissionSchema } from "@/lib/authz/schema";
import { AUDIT_ACTION_OPTIONS, AUDIT_ACTIONS, RETIRED_AUDIT_ACTIONS, auditActionLabel } from "./action-names";

/**
 * The catalogue of audit actions. The writers take only its names (the
 * `AuditAction` type, so tsc refuses an unlabelled one); these checks cover
 * what the type cannot see: the labels themselves, SQL that writes entries
 * without going through a writer, and names nobody writes any more.
 */
const root = path.resolve(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === "node_modules" || name === "generated" || name.startsWith(".")) return [];
    if (statSync(full).isDirectory()) return sources(full);
    return /\.tsx?$/.test(name) && !name.endsWith(".test.ts") ? [full] : [];
  });
}
const code = ["lib", "app"]
  .flatMap((d) => sources(path.join(root, d)))
  .map((file) => ({ file: path.relative(root, file), text: readFileSync(file, "utf8") }));
const written = Object.keys(AUDIT_ACTIONS);
const retired = Object.keys(RETIRED_AUDIT_ACTIONS);

describe("the audit action catalogue", () => {
  test("every name has a label people can read, and no two written actions share one", () => {
    for (const [name, label] of Object.entries({ ...AUDIT_ACTIONS, ...RETIRED_AUDIT_ACTIONS })) {
      assert.match(name, /^[a-z_]+[.#][a-z_]+$/, `${name} is a name like the others`);
      assert.ok(label.trim() === label && label.length > 0 && label !== name, `${name} has the label "${label}"`);
    }
    const labels = Object.values(AUDIT_ACTIONS);
    assert.deepEqual(
      labels.filter((l, i) => labels.indexOf(l) !== i),
      [],
      "labels that would read the same in the filter list",
    );
    assert.deepEqual(
      written.filter((name) => retired.includes(name)),
      [],
      "a name is written or retired, not both",
    );
  });

  test("every permission in the schema has its denial labelled", () => {
    for (const [type, { permissions }] of Object.entries(permissionSchema)) {
      for (const permission of Object.keys(permissions)) {
        assert.ok(written.includes(`${type}#${permission}`), `the denial ${type}#${permission} has a label`);
      }
    }
    const denials = written.filter((name) => name.includes("#"));
    for (const name of denials) {
      const [type, permission] = name.split("#");
      assert.ok(
        Object.hasOwn(permissionSchema, type) &&
          Object.hasOwn(permissionSchema[type as keyof typeof permissionSchema].permissions, permission),
        `${name} is a permission of the schema`,
      );
    }
  });

  test("SQL that inserts audit entries itself names only catalogue actions, and writes the server's MAC", () => {
    const statements = code.flatMap(({ file, text }) =>
      [...text.matchAll(/INSERT INTO audit_entries[\s\S]*?`/g)].map((m) => ({ file, sql: m[0] })),
    );
    assert.ok(statements.length >= 1, "the issue path writes its entry in SQL");
    for (const { file, sql } of statements) {
      // Without a MAC the sealer refuses the entry (lib/audit/mac.ts): every writer computes one in the server.
      assert.match(sql, /\(id, at, [^)]*\bmac\)/, `${file} inserts audit entries without their time and MAC`);
      for (const [, literal] of sql.matchAll(/'([a-z_]+[.#][a-z_]+)'/g)) {
        assert.ok(written.includes(literal), `${file} writes '${literal}', which the catalogue does not label`);
      }
    }
  });

  test("every written action is written somewhere in lib/ or app/; names no longer written are retired, not kept", () => {
    const catalogue = path.join("lib", "audit", "action-names.ts");
    const elsewhere = code
      .filter(({ file }) => file !== catalogue)
      .map(({ text }) => text)
      .join("\n");
    // Denials are written as `${type}#${permission}` (lib/authz/service.ts); the test above ties those to the schema.
    const unwritten = written.filter((name) => !name.includes("#") && !elsewhere.includes(`"${name}"`));
    assert.deepEqual(unwritten, []);
  });

  test("names earlier versions wrote still read by their label, and can be filtered on", () => {
    assert.equal(auditActionLabel("group.member_join"), "Joined group at sign-in");
    assert.equal(auditActionLabel("group.member_leave"), "Left group at sign-in");
    assert.ok(AUDIT_ACTION_OPTIONS.some((o) => o.value === "group.member_join"));
    assert.equal(auditActionLabel("something.unknown"), "something.unknown", "an unknown name is shown as it is");
    assert.equal(auditActionLabel("constructor"), "constructor", "not an inherited property");
  });
});
