import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { decodeBase64, pathId, readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { cloudCredentialIssueRequestSchema } from "@/lib/api/schemas";
import { credentialToWire } from "@/lib/api/wire";
import { MAX_PAYLOAD_BYTES, credentialKeyValuesSchema } from "@/lib/credentials/schema";
import { authorizeIssue, listCloudCredentialsPage, type CredentialCursor } from "@/lib/credentials/service";
import { ValidationError } from "@/lib/errors";

type Params = { id: string };

/**
 * Issue: `manage` on the Cloud is checked before one byte of the body is
 * read (an unknown Cloud is refused the same way); then the body is read
 * under the 8 KiB ceiling, the payload decoded, and the material stored.
 */
export const POST = apiRoute<Params>(async ({ request, caller, params }) => {
  const issuer = await authorizeIssue(caller.user, pathId(params.id, "invalid_cloud_id"));
  const body = await readBody(request, cloudCredentialIssueRequestSchema);
  const payload = decodeBase64(body.payload);
  if (!payload || payload.byteLength === 0 || payload.byteLength > MAX_PAYLOAD_BYTES) {
    throw new ValidationError("invalid_payload", `payload must be base64 of 1–${MAX_PAYLOAD_BYTES} bytes`);
  }
  const keyValues = credentialKeyValuesSchema.safeParse(Object.entries(body.key_values ?? {}).map(([key, value]) => ({ key, value })));
  // The message names the rule, never the offending key or value: both are secret.
  if (!keyValues.success) throw new ValidationError("invalid_body", "key_values: keys are 1–128 of [A-Za-z0-9_.-], values 1–1024 characters, at most 32 pairs");
  const credential = await issuer.issue({ displayName: body.display_name, payload, keyValues: keyValues.data });
  return json(credentialToWire(credential), 201, { location: `/v1/cloud-credentials/${credential.id}` });
});

export const GET = apiRoute<Params>(async ({ request, caller, params }) => {
  const cloudId = pathId(params.id, "invalid_cloud_id");
  const query = new URL(request.url).searchParams;
  const limit = parseLimit(query.get("limit"));
  const cursor = query.get("cursor");
  const after = cursor ? await decodeCursor<CredentialCursor>(caller.user.id, `cloud-credentials:${cloudId}`, cursor) : undefined;
  const page = await listCloudCredentialsPage(caller.user, cloudId, { limit, after });
  return json({
    items: page.items.map(credentialToWire),
    ...(page.next ? { next_cursor: await encodeCursor(caller.user.id, `cloud-credentials:${cloudId}`, page.next) } : {}),
  });
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
