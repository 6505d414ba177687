import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { cloudCreateRequestSchema } from "@/lib/api/schemas";
import { cloudToWire } from "@/lib/api/wire";
import { authorizeCloudCreate, listCloudsPage, parseCloudCreate } from "@/lib/clouds/service";

export const POST = route({
  authorize: (caller) => authorizeCloudCreate(caller.user),
  body: cloudCreateRequestSchema,
  handle: async ({ permit, body }) => {
    const cloud = await permit.create(parseCloudCreate(body));
    return json(cloudToWire(cloud), 201, { location: `/v1/clouds/${cloud.id}` });
  },
});

export const GET = route({
  authorize: signedIn,
  handle: async ({ permit, query }) => {
    const limit = parseLimit(query.get("limit"));
    const cursor = query.get("cursor");
    const after = cursor ? await decodeCursor<string>(permit.id, "clouds", cursor) : undefined;
    const page = await listCloudsPage(permit, { limit, after });
    return json({
      items: page.items.map(cloudToWire),
      ...(page.next ? { next_cursor: await encodeCursor(permit.id, "clouds", page.next) } : {}),
    });
  },
});

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
