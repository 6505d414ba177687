import { randomUUID } from "node:crypto";

/**
 * Load that checks answers, not just statuses: fires `count` concurrent
 * POST /v1/clouds/{id}/cloud-credentials against a running console, split
 * between several operators on their own Clouds, with a viewer's reads
 * interleaved, then reads every credential back. Each answer must be the
 * caller's own (its display name, its Cloud); a status alone would not
 * notice a query answered with another connection's rows.
 *
 * Used by e2e/api/concurrency.spec.ts and by fault-injection runs:
 *   node --import tsx testing/concurrent-issues.ts <base-url> <operator-token> [<operator-token>…] [--viewer <token>] [--count N]
 */
export interface ConcurrentIssuesOptions {
  baseUrl: string;
  /** Bearer tokens of platform admins; each creates its own Cloud. */
  operatorTokens: string[];
  /** A token of a user who may see none of those Clouds; optional. */
  viewerToken?: string;
  count?: number;
}

export interface ConcurrentIssuesResult {
  issued: number;
  /** One line per wrong answer; empty when every answer was right. */
  failures: string[];
}

export async function runConcurrentIssues(options: ConcurrentIssuesOptions): Promise<ConcurrentIssuesResult> {
  const count = options.count ?? 200;
  const call = (token: string, method: string, path: string, body?: unknown) =>
    fetch(new URL(path, options.baseUrl), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

  const run = randomUUID().slice(0, 8);
  const clouds: { token: string; id: string }[] = [];
  for (const [index, token] of options.operatorTokens.entries()) {
    const slug = `conc-${run}-${index}`;
    const response = await call(token, "POST", "/v1/clouds", {
      display_name: `Concurrency ${slug}`,
      slug,
      provider: "aws",
      endpoint: {},
      region_defaults: {},
      external_id: `acct-${slug}`,
    });
    if (response.status !== 201) throw new Error(`creating Cloud ${slug} answered ${response.status}: ${await response.text()}`);
    clouds.push({ token, id: (await response.json()).id });
  }

  const failures: string[] = [];
  const issued: { token: string; cloudId: string; id: string; displayName: string }[] = [];
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const { token, id: cloudId } = clouds[i % clouds.length];
      const displayName = `conc ${run} #${i}`;
      try {
        const [response] = await Promise.all([
          call(token, "POST", `/v1/clouds/${cloudId}/cloud-credentials`, {
            display_name: displayName,
            // Plain text, as the contract allows: stored with a shape warning, never refused.
            payload: Buffer.from(`payload ${i}`).toString("base64"),
            key_values: { n: String(i) },
          }),
          // A viewer's read of the same Cloud, in the middle of the writes: always refused.
          options.viewerToken
            ? call(options.viewerToken, "GET", `/v1/clouds/${cloudId}/cloud-credentials`).then(async (r) => {
                if (r.status !== 403 && r.status !== 404) failures.push(`viewer list #${i}: ${r.status} ${await r.text()}`);
              })
            : undefined,
        ]);
        const body = await response.json().catch(() => null);
        if (response.status !== 201) return void failures.push(`issue #${i}: ${response.status} ${JSON.stringify(body)}`);
        if (body?.display_name !== displayName || body?.cloud_id !== cloudId) {
          return void failures.push(`issue #${i} answered ${body?.display_name} on ${body?.cloud_id}`);
        }
        issued.push({ token, cloudId, id: body.id, displayName });
      } catch (error) {
        // fetch says only "fetch failed"; the cause tells a client-side timeout from a reset by the server.
        const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
        failures.push(
          `issue #${i}: ${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause.code ?? cause.message})` : ""}`,
        );
      }
    }),
  );

  await Promise.all(
    issued.map(async (credential) => {
      const response = await call(credential.token, "GET", `/v1/cloud-credentials/${credential.id}`);
      const body = await response.json().catch(() => null);
      if (
        response.status !== 200 ||
        body?.id !== credential.id ||
        body?.display_name !== credential.displayName ||
        body?.cloud_id !== credential.cloudId
      ) {
        failures.push(`read ${credential.id}: ${response.status} ${JSON.stringify(body)}`);
      }
    }),
  );
  if (new Set(issued.map((c) => c.id)).size !== issued.length) failures.push("two issues answered with the same credential id");
  return { issued: issued.length, failures };
}

async function main() {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args.splice(at, 2)[1] : undefined;
  };
  const viewerToken = flag("--viewer");
  const count = Number(flag("--count") ?? 200);
  const [baseUrl, ...operatorTokens] = args;
  if (!baseUrl || operatorTokens.length === 0) {
    console.error("usage: node --import tsx testing/concurrent-issues.ts <base-url> <operator-token>… [--viewer <token>] [--count N]");
    process.exit(2);
  }
  const result = await runConcurrentIssues({ baseUrl, operatorTokens, viewerToken, count });
  for (const failure of result.failures) console.error(`✖ ${failure}`);
  console.log(`${result.failures.length === 0 ? "✔" : "✖"} ${result.issued}/${count} issued, ${result.failures.length} wrong answers`);
  process.exit(result.failures.length === 0 ? 0 : 1);
}

// No top-level await: Playwright loads this module with require().
if (process.argv[1]?.endsWith("concurrent-issues.ts")) void main();
