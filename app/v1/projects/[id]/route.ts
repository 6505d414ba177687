import { json, methodsNotAllowed, route, signedIn } from "@/lib/api/route";
import { projectToWire } from "@/lib/api/wire";
import { getProject } from "@/lib/projects/service";

export const GET = route({
  params: { id: "invalid_project_id" },
  authorize: signedIn,
  handle: async ({ permit, ids }) => json(projectToWire(await getProject(permit, ids.id))),
});

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
