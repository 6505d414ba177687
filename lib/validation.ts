import { z } from "zod";
import { nameField } from "./names";
import { DISPLAY_NAME_MAX, KEY_MAX, MESH_CIDR_MAX, MESH_CIDR_PATTERN, REASON_MAX } from "./limits";

export * from "./limits";

/**

 * Key-value rows as a form edits them, turned into the flat string map the
 * domain stores. Used for Cloud endpoint/region metadata and for credential
 * key-values alike.
 */
export const KEY_PATTERN = new RegExp(`^(?!(?:__proto__|constructor|prototype)$)[A-Za-z0-9_.-]{1,${KEY_MAX}}$`);
export const KEY_RULE = `Keys are 1–${KEY_MAX} letters, digits, dots, dashes or underscores.`;

/**
 * Names that JavaScript objects treat specially: a parser or map built with
 * `{}` turns "__proto__" into a prototype instead of a key, and the pair
 * vanishes on its way to the engine while the caller is told 201. They are
 * refused (KEY_PATTERN excludes them) rather than carried with care through
 * every library between the request and the engine.
 */
export const RESERVED_KEYS: readonly string[] = ["__proto__", "constructor", "prototype"];

/**
 * The top-level field of a parsed JSON body under which a reserved name is
 * used as a key, at any depth. JSON.parse keeps "__proto__" as an own key,
 * but zod skips it without an issue before any key schema runs, so it must
 * be looked for in the raw value.
 */
export function fieldWithReservedKey(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  for (const [field, value] of Object.entries(body)) {
    if (RESERVED_KEYS.includes(field)) return field;
    const pending: unknown[] = [value];
    while (pending.length > 0) {
      const next = pending.pop();
      if (Array.isArray(next)) pending.push(...next);
      else if (isObject(next)) {
        for (const [key, inner] of Object.entries(next)) {
          if (RESERVED_KEYS.includes(key)) return field;
          pending.push(inner);
        }
      }
    }
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// NUL and other C0 control characters (tab and newlines aside) have no place
// in a name or an id, and PostgreSQL refuses NUL outright.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

/**
 * A free-text string as a request carries it: bounded, and free of NUL and
 * the other control characters. Every wire string that may reach the
 * database (an audit target, a reason, a metadata value) is one of these, so
 * a NUL is a 400 here rather than PostgreSQL's refusal, a 500, later.
 */
export function plainString(max: number) {
  return z
    .string()
    .max(max)
    .refine((v) => !hasControlCharacters(v), "contains characters that are not allowed");
}

/** PostgreSQL's `integer`, the type of every version and counter column. */
export const MAX_INT32 = 2_147_483_647;

/**
 * Years 1 to 9999: what a four-digit ISO 8601 date can say and what
 * PostgreSQL and JavaScript both store. "0000-01-01" parses in JavaScript,
 * but PostgreSQL has no year zero.
 */
export function isStorableInstant(value: string | Date): boolean {
  const date = typeof value === "string" ? new Date(value) : value;
  const year = date.getUTCFullYear();
  return Number.isFinite(date.getTime()) && year >= 1 && year <= 9999;
}

/** An RFC 3339 timestamp a request carries, within the storable years. */
export const instantString = z
  .string()
  .datetime({ offset: true })
  .refine((v) => isStorableInstant(v), "is outside the years 1 to 9999");

/** A single-purpose name field (a Cloud's, a Project's, a credential's): the one rule for names, lib/names.ts. */
export function textField(options: { label: string; max: number; required?: string }) {
  return nameField(options);
}

/** A display name as a form, an action and a service check it. */
export function displayNameField(label = "a display name", required?: string) {
  return textField({ label, max: DISPLAY_NAME_MAX, required });
}

export function keyValueRowsSchema(options: { maxRows: number; maxValueLength: number; noun: string; plainText?: boolean }) {
  return z
    .array(z.object({ key: z.string(), value: z.string() }))
    .max(options.maxRows, `At most ${options.maxRows} ${options.noun}s.`)
    .superRefine((rows, ctx) => {
      const seen = new Set<string>();
      rows.forEach((row, index) => {
        const key = row.key.trim();
        if (RESERVED_KEYS.includes(key)) {
          ctx.addIssue({ code: "custom", path: [index, "key"], message: `"${key}" is a reserved name; choose another key.` });
        } else if (!KEY_PATTERN.test(key)) {
          ctx.addIssue({
            code: "custom",
            path: [index, "key"],
            message: KEY_RULE,
          });
        } else if (seen.has(key)) {
          ctx.addIssue({ code: "custom", path: [index, "key"], message: "This key appears twice." });
        }
        seen.add(key);
        if (options.plainText && hasControlCharacters(row.value)) {
          ctx.addIssue({ code: "custom", path: [index, "value"], message: "This value contains characters that are not allowed." });
        } else if (row.value.length === 0) {
          ctx.addIssue({ code: "custom", path: [index, "value"], message: "Enter a value or remove the row." });
        } else if (row.value.length > options.maxValueLength) {
          ctx.addIssue({
            code: "custom",
            path: [index, "value"],
            message: `Values are at most ${options.maxValueLength} characters.`,
          });
        }
      });
    })
    .transform((rows): Record<string, string> => Object.fromEntries(rows.map((r) => [r.key.trim(), r.value])));
}

/** zod issues as `{ "field.path": "message" }`, the first message per field. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "form";
    out[key] ??= issue.message;
  }
  return out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from URLs; anything that is not a UUID names nothing we store. */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** A Domain's mesh pool (MESH_CIDR_PATTERN): what the wire schemas send and would accept. */
export const meshCidrField = z.string().max(MESH_CIDR_MAX).regex(MESH_CIDR_PATTERN, "mesh_cidr must be an IPv4 or IPv6 CIDR");

/** An id an action's caller names (from a page's URL or a list); the service decides whether it names anything. */
export const idField = z.string().max(128, "Unknown id.");

/** A reason as typed: bounded and free of control characters; `required` for the decisions that must say why. */
export const reasonField = z
  .string()
  .max(REASON_MAX, `A reason is at most ${REASON_MAX} characters.`)
  .refine((v) => !hasControlCharacters(v), "This reason contains characters that are not allowed.");
