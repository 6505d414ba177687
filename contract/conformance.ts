import { readFileSync } from "node:fs";
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
 */
type Operation = { responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: object }> }> };
type Document = { paths: Record<string, Record<string, Operation>> };

export const CONTRACT_FILES = ["plexsphere-v1-catalog.yaml", "plexsphere-v1-identity.yaml"] as const;

export function loadContract(dir: string) {
  const documents = CONTRACT_FILES.map((file) => ({
    id: file,
    document: YAML.parse(readFileSync(path.join(dir, file), "utf8")) as Document,
  }));
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  for (const format of ["byte", "int64", "int32", "http-date", "binary"]) ajv.addFormat(format, true);
  for (const { id, document } of documents) ajv.addSchema({ ...document, $id: id });
  const compiled = new Map<string, ValidateFunction>();
  const exercised = new Set<string>();

  const operationOf = (method: string, template: string) => {
    for (const { id, document } of documents) {
      const operation = document.paths[template]?.[method];
      if (operation) return { id, operation };
    }
    throw new Error(`${method.toUpperCase()} ${template} is not an operation of the reference contract`);
  };

  function check(method: string, template: string, status: number, headers: Headers, body: unknown) {
    const { id, operation } = operationOf(method, template);
    const op = `${method.toUpperCase()} ${template} → ${status}`;
    const declared = operation.responses[String(status)] ?? operation.responses.default;
    if (!declared) throw new Error(`${op}: the contract declares no ${status} (it has ${Object.keys(operation.responses).join(", ")})`);
    const hasLocation = headers.has("location");
    const promisesLocation = Object.keys(declared.headers ?? {}).some((h) => h.toLowerCase() === "location");
    if (hasLocation !== promisesLocation)
      throw new Error(`${op}: Location ${hasLocation ? "sent but not declared by" : "declared by the contract but not sent"}`);
    if (!declared.content) {
      if (body !== undefined) throw new Error(`${op}: the contract declares no body, we sent one`);
      return;
    }
    const media = (headers.get("content-type") ?? "").split(";")[0].trim();
    if (!declared.content[media])
      throw new Error(
        `${op}: we answered ${media || "without a content type"}, the contract declares ${Object.keys(declared.content).join(", ")}`,
      );
    const pointer =
      `${id}#/paths/${template.replaceAll("~", "~0").replaceAll("/", "~1")}/${method}/responses/` +
      `${declared === operation.responses.default ? "default" : status}/content/${media.replace("/", "~1")}/schema`;
    if (!compiled.has(pointer)) compiled.set(pointer, ajv.compile({ $ref: pointer }));
    const validate = compiled.get(pointer)!;
    if (!validate(body))
      throw new Error(
        `${op}: the body does not decode as the contract's type: ${JSON.stringify(validate.errors?.slice(0, 3))}\n${JSON.stringify(body)}`,
      );
  }

  const middleware: Middleware = {
    async onResponse({ request, response, schemaPath }) {
      const method = request.method.toLowerCase();
      const text = await response.clone().text();
      check(method, schemaPath, response.status, response.headers, text.length === 0 ? undefined : JSON.parse(text));
      exercised.add(`${method.toUpperCase()} ${schemaPath}`);
      return undefined;
    },
  };

  /** Every operation both the contract and our /v1/openapi.json (outside our own extensions) name. */
  function servedOperations(ours: { paths: Record<string, Record<string, { "x-plexsphere-beyond-contract"?: boolean }>> }): string[] {
    const served: string[] = [];
    for (const { document } of documents) {
      for (const [template, methods] of Object.entries(document.paths)) {
        for (const method of Object.keys(methods)) {
          const mine = ours.paths[template]?.[method];
          if (mine && !mine["x-plexsphere-beyond-contract"]) served.push(`${method.toUpperCase()} ${template}`);
        }
      }
    }
    return served.sort();
  }

  return { middleware, exercised, servedOperations, check };
}
