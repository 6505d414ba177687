import { readBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { projectCreateRequestSchema } from "@/lib/api/schemas";
import { projectToWire } from "@/lib/api/wire";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { authorize } from "@/lib/authz/service";
import { createProject, listProjects } from "@/lib/projects/service";

export const POST = apiRoute(async ({ request, caller }) => {
  await authorize(caller.user, "manage", { platform: PLATFORM_ID });
  const body = await readBody(request, projectCreateRequestSchema);
  const project = await createProject(caller.user, { name: body.name, slug: body.slug });
  return json(projectToWire(project), 201, { location: `/v1/projects/${project.id}` });
});

export const GET = apiRoute(async ({ caller }) => json({ items: (await listProjects(caller.user)).map(projectToWire) }));

export const { PUT, PATCH, DELETE } = methodsNotAllowed(["GET", "POST"]);
