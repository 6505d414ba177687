import { appendFileSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { Middleware } from "openapi-fetch";
import YAML from "yaml";

/**
 * The reference contract's view of our answers. Every response a generated
 * client receives passes through `middleware`, which fails the call unless
 * the contract declares that status for that operation, with that media
 * type, a body matching its schema (ajv), and the headers it declares
 * (a Location the contract does not promise is refused: clients follow it).
 *
 * Two generations of the contract are loaded:
 *  - the June subsets (the reference files, outside this repository), which
 *    the Go SDK and older Python SDKs are generated from;
 *  - the newest shapes, authored in contract/newer/*.yaml from
 *    plexsphere-v1-newer.md (there is no newer YAML upstream): each fragment
 *    is OpenAPI 3.1 with the operations that are new or changed and the
 *    schemas they need, and may $ref another fragment ("problem.yaml#/…").
 * An operation is validated against every document that defines it: a
 * status must be declared by at least one of them, and the body must match
 * each one that declares that status. A newer response marked
 * `x-supersedes-june` (with the reason) says the two contradict and the
 * newest wins: June's schema for that status is then not checked.
 * Every problem answer, whatever the operation, must also be the newest
 * Problem (PermissionDenied for a 403): `correlation_id` present, and equal
 * to the X-Correlation-Id header.
 */
type Response_ = {
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: object }>;
  $ref?: string;
  "x-supersedes-june"?: string;
};
type Operation = { responses: Record<string, Response_> };
type Document = { paths: Record<string, Record<string, Operation>>; components?: { responses?: Record<string, Response_> } };
type Loaded = { id: string; generation: "june" | "newer"; document: Document };

export const CONTRACT_FILES = ["plexsphere-v1-catalog.yaml", "plexsphere-v1-identity.yaml"] as const;
export const NEWER_DIR = path.join(import.meta.dirname, "newer");
/** Every newer fragment, by file name (scripts/test-contract.mjs generates a type module from each). */
export const newerFragments = () =>
  readdirSync(NEWER_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort();

const BASE = "https://contract.plexsphere.invalid/";
const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options"]);
const PROBLEM = `${BASE}newer/problem.yaml#/components/schemas/Problem`;
const PERMISSION_DENIED = `${BASE}newer/problem.yaml#/components/schemas/PermissionDenied`;

export function loadContract(dir: string) {
  const documents: Loaded[] = [
    ...CONTRACT_FILES.map((file) => ({
      id: `${BASE}reference/${file}`,
      generation: "june" as const,
      document: YAML.parse(readFileSync(path.join(dir, file), "utf8")) as Document,
    })),
    ...newerFragments().map((file) => ({
      id: `${BASE}newer/${file}`,
      generation: "newer" as const,
      document: YAML.parse(readFileSync(path.join(NEWER_DIR, file), "utf8")) as Document,
    })),
  ];
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  for (const format of ["byte", "int64", "int32", "http-date", "binary"]) ajv.addFormat(format, true);
  for (const { id, document } of documents) ajv.addSchema({ ...document, $id: id });
  const compiled = new Map<string, ValidateFunction>();
  const exercised = new Set<string>();
  const validator = (ref: string) => {
    if (!compiled.has(ref)) compiled.set(ref, ajv.compile({ $ref: ref }));
    return compiled.get(ref)!;
  };
  const escape = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");

  // Two fragments defining one operation would make "the newer shape" ambiguous.
  for (const generation of ["june", "newer"] as const) {
    const seen = new Map<string, string>();
    for (const { id, document } of documents.filter((d) => d.generation === generation)) {
      for (const [template, methods] of Object.entries(document.paths ?? {})) {
        for (const method of Object.keys(methods).filter((m) => METHODS.has(m))) {
          const key = `${method.toUpperCase()} ${template}`;
          if (generation === "newer" && seen.has(key)) throw new Error(`${key} is defined in both ${seen.get(key)} and ${id}`);
          seen.set(key, id);
        }
      }
    }
  }

  /** A response, with a local `$ref` to components/responses followed (the fragments share their problem answers that way). */
  function resolved(loaded: Loaded, response: Response_): { response: Response_; pointer?: string } {
    if (!response.$ref) return { response };
    const name = response.$ref.replace("#/components/responses/", "");
    const target = loaded.document.components?.responses?.[name];
    if (!target || response.$ref.startsWith("#/components/responses/") === false)
      throw new Error(`${loaded.id}: only local #/components/responses refs are supported (${response.$ref})`);
    return { response: target, pointer: `${loaded.id}#/components/responses/${escape(name)}` };
  }

  function definitions(method: string, template: string) {
    const found = documents.flatMap((loaded) => {
      const operation = loaded.document.paths?.[template]?.[method];
      return operation ? [{ loaded, operation }] : [];
    });
    if (found.length === 0)
      throw new Error(`${method.toUpperCase()} ${template} is not an operation of the reference contract or a newer fragment`);
    return found;
  }

  function check(method: string, template: string, status: number, headers: Headers, body: unknown) {
    const op = `${method.toUpperCase()} ${template} → ${status}`;
    const declaring = definitions(method, template).flatMap(({ loaded, operation }) => {
      const key = operation.responses[String(status)] ? String(status) : operation.responses.default ? "default" : undefined;
      if (!key) return [];
      const { response, pointer } = resolved(loaded, operation.responses[key]);
      const base = pointer ?? `${loaded.id}#/paths/${escape(template)}/${method}/responses/${key}`;
      return [{ loaded, response, base }];
    });
    if (declaring.length === 0) {
      const all = definitions(method, template).flatMap(({ operation }) => Object.keys(operation.responses));
      throw new Error(`${op}: no contract generation declares ${status} (they have ${[...new Set(all)].join(", ")})`);
    }
    const newestWins = declaring.some((d) => d.loaded.generation === "newer" && d.response["x-supersedes-june"]);
    const checked = newestWins ? declaring.filter((d) => d.loaded.generation === "newer") : declaring;

    const hasLocation = headers.has("location");
    const promisesLocation = checked.some((d) => Object.keys(d.response.headers ?? {}).some((h) => h.toLowerCase() === "location"));
    if (hasLocation !== promisesLocation)
      throw new Error(`${op}: Location ${hasLocation ? "sent but not declared by" : "declared by the contract but not sent"}`);

    const media = (headers.get("content-type") ?? "").split(";")[0].trim();
    for (const { loaded, response, base } of checked) {
      const where = `${op} (${loaded.id.replace(BASE, "")})`;
      if (!response.content) {
        if (body !== undefined) throw new Error(`${where}: the contract declares no body, we sent one`);
        continue;
      }
      if (!response.content[media])
        throw new Error(
          `${where}: we answered ${media || "without a content type"}, the contract declares ${Object.keys(response.content).join(", ")}`,
        );
      const validate = validator(`${base}/content/${escape(media)}/schema`);
      if (!validate(body))
        throw new Error(
          `${where}: the body does not decode as the contract's type: ${JSON.stringify(validate.errors?.slice(0, 3))}\n${JSON.stringify(body)}`,
        );
    }
    if (media === "application/problem+json") checkProblem(op, status, headers, body);
  }

  /** The newest Problem, for every problem answer: correlation_id present, and the one X-Correlation-Id names. */
  function checkProblem(op: string, status: number, headers: Headers, body: unknown) {
    for (const ref of status === 403 ? [PROBLEM, PERMISSION_DENIED] : [PROBLEM]) {
      const validate = validator(ref);
      if (!validate(body))
        throw new Error(
          `${op}: not the newest ${ref.split("/").pop()}: ${JSON.stringify(validate.errors?.slice(0, 3))}\n${JSON.stringify(body)}`,
        );
    }
    const id = (body as { correlation_id?: unknown }).correlation_id;
    if (headers.get("x-correlation-id") !== id)
      throw new Error(
        `${op}: X-Correlation-Id ${JSON.stringify(headers.get("x-correlation-id"))} is not the body's correlation_id ${JSON.stringify(id)}`,
      );
  }

  const middleware: Middleware = {
    async onResponse({ request, response, schemaPath }) {
      const method = request.method.toLowerCase();
      const text = await response.clone().text();
      check(method, schemaPath, response.status, response.headers, text.length === 0 ? undefined : JSON.parse(text));
      const key = `${method.toUpperCase()} ${schemaPath}`;
      exercised.add(key);
      // The suite runs each test file in its own process: the coverage check (contract/coverage.test.ts) reads them all from here.
      if (process.env.CONTRACT_EXERCISED) appendFileSync(process.env.CONTRACT_EXERCISED, `${key}\n`);
      return undefined;
    },
  };

  /** Every operation a contract generation and our /v1/openapi.json (outside our own extensions) both name. */
  function servedOperations(ours: { paths: Record<string, Record<string, { "x-plexsphere-beyond-contract"?: boolean }>> }): string[] {
    const served = new Set<string>();
    for (const { document } of documents) {
      for (const [template, methods] of Object.entries(document.paths ?? {})) {
        for (const method of Object.keys(methods).filter((m) => METHODS.has(m))) {
          const mine = ours.paths[template]?.[method];
          if (mine && !mine["x-plexsphere-beyond-contract"]) served.add(`${method.toUpperCase()} ${template}`);
        }
      }
    }
    return [...served].sort();
  }

  /** A body read through an operation the fragment does not define, checked against one of its named schemas. */
  function conforms(file: string, schema: string, body: unknown) {
    const validate = validator(`${BASE}newer/${file}#/components/schemas/${escape(schema)}`);
    if (!validate(body))
      throw new Error(`not ${file}'s ${schema}: ${JSON.stringify(validate.errors?.slice(0, 3))}\n${JSON.stringify(body)}`);
  }

  /** Every operation a newer fragment defines, as `METHOD /template`. */
  function operationsOf(file: string): string[] {
    const loaded = documents.find((d) => d.id === `${BASE}newer/${file}`);
    if (!loaded) throw new Error(`contract/newer/${file} is not loaded`);
    return Object.entries(loaded.document.paths ?? {}).flatMap(([template, methods]) =>
      Object.keys(methods)
        .filter((m) => METHODS.has(m))
        .map((m) => `${m.toUpperCase()} ${template}`),
    );
  }

  return { middleware, exercised, servedOperations, check, conforms, operationsOf };
}
