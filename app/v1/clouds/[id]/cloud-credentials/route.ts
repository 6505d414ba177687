import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { cloudCredentialIssueRequestSchema } from "@/lib/api/schemas";
import { secretInput, shapeWarningHeaders } from "@/lib/api/secret-input";
import { credentialToWire } from "@/lib/api/wire";
import { authorizeIssue, issueQuestion } from "@/lib/credentials/issue";
import { listCloudCredentials, type CredentialCursor } from "@/lib/credentials/read";

const params = { id: "invalid_cloud_id" } as const;

/**
 * Issue: `manage` on the Cloud is checked before one byte of the body is
 * read (an unknown Cloud is refused the same way), asked in the query that
 * authenticates a bearer token; then the body is read under the 8 KiB
 * ceiling, the payload decoded, and the material stored. An unusual
 * provider shape is a warning header, unless the Cloud is strict.
 */
export const POST = route({
  params,
  preauthorize: (raw) => issueQuestion((raw.id ?? "").toLowerCase()),
  authorize: (caller, { id }) => authorizeIssue(caller.user, id),
  body: cloudCredentialIssueRequestSchema,
  handle: async ({ permit, body }) => {
    const credential = await permit.issue({ displayName: body.display_name, ...secretInput(body) });
    return json(credentialToWire(credential), 201, {
      location: `/v1/cloud-credentials/${credential.id}`,
      ...shapeWarningHeaders(credential),
    });
  },
});

export const GET = route({
  params,
  authorize: signedIn,
  handle: async ({ permit, ids, query }) => {
    const list = `cloud-credentials:${ids.id}`;
    const limit = parseLimit(query.get("limit"));
    const cursor = query.get("cursor");
    const after = cursor ? await decodeCursor<CredentialCursor>(permit.id, list, cursor) : undefined;
    const page = await listCloudCredentials(permit, ids.id, { limit, after });
    return json({
      items: page.items.map(credentialToWire),
      ...(page.next ? { next_cursor: await encodeCursor(permit.id, list, page.next) } : {}),
    });
  },
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
