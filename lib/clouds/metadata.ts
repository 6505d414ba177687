import { hasControlCharacters, KEY_PATTERN } from "@/lib/validation";

/**
 * A Cloud's `endpoint` and `region_defaults` over the API: free-form JSON
 * objects, as the contract has them (ports are numbers, TLS settings nest).
 * Free-form is still bounded, so one Cloud cannot carry a document the
 * console cannot show or PostgreSQL refuses:
 *   - depth at most 8, at most 256 values in all, 64 members per object or array;
 *   - keys as the console's forms allow (letters, digits, `._-`), and never
 *     `__proto__`, `constructor` or `prototype`: a JavaScript reader would
 *     drop or misread them, and we never accept what we would lose;
 *   - strings at most 1024 characters, without control characters (PostgreSQL refuses NUL).
 * The console's form keeps writing flat text maps, a subset of this.
 */
export type CloudMetadataValue = string | number | boolean | null | CloudMetadataValue[] | { [key: string]: CloudMetadataValue };
export type CloudMetadata = { [key: string]: CloudMetadataValue };

const MAX_DEPTH = 8;
const MAX_VALUES = 256;
const MAX_MEMBERS = 64;
const MAX_STRING = 1024;
const REFUSED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** The problem with `value` as Cloud metadata, or undefined when it is acceptable. */
export function cloudMetadataProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return "must be a JSON object";
  let values = 0;
  const visit = (node: unknown, depth: number, path: string): string | undefined => {
    values += 1;
    if (values > MAX_VALUES) return `holds more than ${MAX_VALUES} values`;
    if (node === null || typeof node === "boolean") return undefined;
    if (typeof node === "number") return Number.isFinite(node) ? undefined : `${path} is not a finite number`;
    if (typeof node === "string") {
      if (node.length > MAX_STRING) return `${path} is longer than ${MAX_STRING} characters`;
      return hasControlCharacters(node) ? `${path} contains characters that are not allowed` : undefined;
    }
    if (depth >= MAX_DEPTH) return `nests deeper than ${MAX_DEPTH} levels`;
    if (Array.isArray(node)) {
      if (node.length > MAX_MEMBERS) return `${path} has more than ${MAX_MEMBERS} items`;
      for (let i = 0; i < node.length; i += 1) {
        const problem = visit(node[i], depth + 1, `${path}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    if (!isPlainObject(node)) return `${path} is not a JSON value`;
    const keys = Object.keys(node);
    if (keys.length > MAX_MEMBERS) return `${path} has more than ${MAX_MEMBERS} members`;
    for (const key of keys) {
      // Key names are ours to show (never secret here): the Cloud's metadata is public to its observers.
      if (REFUSED_KEYS.has(key)) return `the key ${key} is not allowed`;
      if (!KEY_PATTERN.test(key)) return "keys are 1–128 letters, digits, dots, dashes or underscores";
      const problem = visit(node[key], depth + 1, path ? `${path}.${key}` : key);
      if (problem) return problem;
    }
    return undefined;
  };
  return visit(value, 0, "");
}

/** What the database holds, as metadata; anything else (a corrupt row) reads as empty. */
export function asCloudMetadata(value: unknown): CloudMetadata {
  return isPlainObject(value) ? (value as CloudMetadata) : {};
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
