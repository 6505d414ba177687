import type { APIResponse } from "@playwright/test";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { expect } from "../fixtures";

/**
 * Validates every /v1 response a test receives against our own
 * /v1/openapi.json (what we claim to serve), so the suite needs nothing
 * beside the repository. Whether that matches the plexsphere v1 contract is
 * `npm run test:contract`'s job (contract/), with a client generated from it.
 * A status the operation does not document is checked as a Problem.
 */

type OpenApi = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>> };

function validatorFor(document: OpenApi, id: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  for (const format of ["byte", "int64", "int32", "http-date"]) ajv.addFormat(format, true);
  ajv.addSchema({ ...document, $id: id });
  const cache = new Map<string, ValidateFunction>();
  const has = (template: string, method: string) => Boolean(document.paths[template]?.[method.toLowerCase()]);
  const lookup = (
    template: string,
    method: string,
    status: number,
    contentType: string,
  ): { validate?: ValidateFunction; documented: boolean } => {
    const responses = document.paths[template]?.[method.toLowerCase()]?.responses;
    if (!responses) throw new Error(`${id} has no operation ${method} ${template}`);
    const response = responses[String(status)];
    const media = response?.content?.[contentType.split(";")[0].trim()];
    const pointer = media
      ? `/paths/${template.replaceAll("~", "~0").replaceAll("/", "~1")}/${method.toLowerCase()}/responses/${status}` +
        `/content/${contentType.split(";")[0].trim().replace("/", "~1")}/schema`
      : "/components/schemas/Problem";
    const key = `${id}#${pointer}`;
    if (!cache.has(key)) cache.set(key, ajv.compile({ $ref: key }));
    return { validate: response && !media ? undefined : cache.get(key), documented: Boolean(response) };
  };
  return Object.assign(lookup, { has });
}

/** A response body that has just been validated; tests read its fields freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CheckedBody = any;

let ours: ReturnType<typeof validatorFor> | undefined;

export async function loadOurOpenApi(fetchDocument: () => Promise<unknown>) {
  ours ??= validatorFor((await fetchDocument()) as OpenApi, "ours");
}

/** Checks one response: status, content type, and body against our document. Returns the parsed body. */
export async function expectConforms(response: APIResponse, operation: string, expectedStatus: number): Promise<CheckedBody> {
  expect(response.status(), `${operation}: ${await response.text()}`).toBe(expectedStatus);
  if (expectedStatus === 204) return undefined;
  return expectBodyConforms(response.headers()["content-type"] ?? "", await response.json(), operation, expectedStatus);
}

/** The same checks for a response read some other way (e.g. a hand-written HTTP request). */
export function expectBodyConforms(contentType: string, body: CheckedBody, operation: string, expectedStatus: number): CheckedBody {
  const [method, template] = operation.split(" ");
  expect(contentType).toMatch(expectedStatus >= 400 ? /^application\/problem\+json/ : /^application\/json/);
  const { validate } = ours!(template, method, expectedStatus, contentType);
  if (validate && !validate(body)) {
    throw new Error(
      `${operation} ${expectedStatus} does not match our /v1/openapi.json: ${JSON.stringify(validate.errors?.slice(0, 3))}\n${JSON.stringify(body)}`,
    );
  }
  if (expectedStatus >= 400) {
    expect(Object.keys(body)).toEqual(expect.arrayContaining(["type", "title", "status", "detail", "instance", "code"]));
    expect(body.status).toBe(expectedStatus);
    expect(JSON.stringify(body)).not.toMatch(/at .+\.(js|ts):\d+|node_modules|Error:/);
  }
  return body;
}
