import { decodeCursor, encodeCursor, parseLimit } from "@/lib/api/cursor";
import { readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { cloudCreateRequestSchema } from "@/lib/api/schemas";
import { cloudToWire } from "@/lib/api/wire";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { createCloud, listCloudsPage, parseCloudCreate } from "@/lib/clouds/service";

export const POST = apiRoute(async ({ request, caller }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  const body = await readBody(request, cloudCreateRequestSchema);
  const cloud = await createCloud(caller.user, parseCloudCreate(body));
  return json(cloudToWire(cloud), 201, { location: `/v1/clouds/${cloud.id}` });
});

export const GET = apiRoute(async ({ request, caller }) => {
  const query = new URL(request.url).searchParams;
  const limit = parseLimit(query.get("limit"));
  const cursor = query.get("cursor");
  const after = cursor ? await decodeCursor<string>(caller.user.id, "clouds", cursor) : undefined;
  const page = await listCloudsPage(caller.user, { limit, after });
  return json({
    items: page.items.map(cloudToWire),
    ...(page.next ? { next_cursor: await encodeCursor(caller.user.id, "clouds", page.next) } : {}),
  });
});


export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
