import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { json, methodsNotAllowed, pathId, route, signedIn } from "@/lib/api/route";
import { cloudCredentialAttachRequestSchema } from "@/lib/api/schemas";
import { authorizeAttach, listCredentialClouds } from "@/lib/credentials/usages";

const params = { id: "invalid_cloud_credential_id" } as const;

/** The Clouds the credential serves, its home Cloud among them, by cloud_id (cloud#observe on the home Cloud). */
export const GET = route({
  params,
  authorize: signedIn,
  handle: async ({ permit, ids, query }) => {
    const limit = parseLimit(query.get("limit"));
    const cursor = query.get("cursor");
    const list = `cloud-credential-clouds:${ids.id}`;
    const after = cursor ? await decodeCursor<string>(permit.id, list, cursor) : undefined;
    const page = await listCredentialClouds(permit, ids.id, { limit, after });
    return json({
      items: page.items.map((c) => ({ cloud_id: c.cloudId })),
      ...(page.next ? { next_cursor: await encodeCursor(permit.id, list, page.next) } : {}),
    });
  },
});

/** cloud#manage on the home Cloud before the body is read, then on the Cloud the body names; idempotent 201. */
export const POST = route({
  params,
  authorize: (caller, { id }) => authorizeAttach(caller.user, id),
  body: cloudCredentialAttachRequestSchema,
  handle: async ({ permit, body }) => {
    const attached = await permit.attach(pathId(body.cloud_id, "invalid_cloud_id"));
    return json({ cloud_id: attached.cloudId }, 201);
  },
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
