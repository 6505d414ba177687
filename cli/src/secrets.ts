import { readFileSync } from "node:fs";
import { usage } from "./errors";

/**
 * Secret material enters only from a file or stdin, never from an argument
 * that would land in shell history or `ps` (--key-value is the how-to's one
 * exception, for values such as a role ARN). Nothing read here is printed,
 * logged or written anywhere but the request body.
 */
let stdinTaken = false;

function readSource(source: string, flag: string): Buffer {
  if (source === "-") {
    if (stdinTaken) throw usage(`${flag} -: stdin is already used by another option`);
    stdinTaken = true;
    return readFileSync(0);
  }
  try {
    return readFileSync(source);
  } catch (error) {
    // The path is the user's own argument; the error code says why without the file's contents.
    throw usage(`${flag}: cannot read ${source} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

/** --payload-file PATH|- as the API's base64 `payload`. */
export function readPayload(source: string): string {
  const bytes = readSource(source, "--payload-file");
  if (bytes.length === 0) throw usage("--payload-file: the payload is empty");
  return bytes.toString("base64");
}

/** A secret string (a webhook signing secret) from a file or stdin; one trailing newline is dropped, as `echo` adds it. */
export function readSecretText(source: string, flag: string): string {
  const text = readSource(source, flag)
    .toString("utf8")
    .replace(/\r?\n$/, "");
  if (text.length === 0) throw usage(`${flag}: the secret is empty`);
  return text;
}

/** --key-value k=v (repeated) and --key-values-file PATH|- (a JSON object of strings), merged. */
export function readKeyValues(pairs: string[], file: string | undefined): Record<string, string> | undefined {
  const result: Record<string, string> = {};
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readSource(file, "--key-values-file").toString("utf8"));
    } catch (error) {
      if (error instanceof SyntaxError) throw usage("--key-values-file: not a JSON object of strings");
      throw error;
    }
    if (
      typeof parsed !== "object" ||
      parsed === null ||
      Array.isArray(parsed) ||
      Object.values(parsed).some((v) => typeof v !== "string")
    ) {
      throw usage("--key-values-file: not a JSON object of strings");
    }
    Object.assign(result, parsed);
  }
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    // Name the position only: the text itself may be a secret.
    if (at <= 0) throw usage("--key-value must look like key=value");
    result[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** The parser side of a repeated --key-value / --endpoint option. */
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Non-secret k=v maps (Cloud endpoint, region defaults). */
export function pairsToMap(pairs: string[] | undefined, flag: string): Record<string, string> | undefined {
  if (!pairs) return undefined;
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf("=");
      if (at <= 0) throw usage(`${flag} must look like key=value`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}
