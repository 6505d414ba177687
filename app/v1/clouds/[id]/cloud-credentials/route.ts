import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { pathId, readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { cloudCredentialIssueRequestSchema } from "@/lib/api/schemas";
import { secretInput, shapeWarningHeaders } from "@/lib/api/secret-input";
import { credentialToWire } from "@/lib/api/wire";
import { authorizeIssue, issueQuestion, listCloudCredentialsPage, type CredentialCursor } from "@/lib/credentials/service";

type Params = { id: string };

/**
 * Issue: `manage` on the Cloud is checked before one byte of the body is
 * read (an unknown Cloud is refused the same way); then the body is read
 * under the 8 KiB ceiling, the payload decoded, and the material stored.
 * An unusual provider shape is a warning header, unless the Cloud is strict.
 */
export const POST = apiRoute<Params>(async ({ request, caller, params }) => {
  const issuer = await authorizeIssue(caller.user, pathId(params.id, "invalid_cloud_id"));
  const body = await readBody(request, cloudCredentialIssueRequestSchema);
  const credential = await issuer.issue({ displayName: body.display_name, ...secretInput(body) });
  return json(credentialToWire(credential), 201, { location: `/v1/cloud-credentials/${credential.id}`, ...shapeWarningHeaders(credential) });
}, { preauthorize: (params) => issueQuestion(params.id) });

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
