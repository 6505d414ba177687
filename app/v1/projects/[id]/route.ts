import { pathId } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { projectToWire } from "@/lib/api/wire";
import { getProject } from "@/lib/projects/service";

export const GET = apiRoute<{ id: string }>(async ({ caller, params }) => json(projectToWire(await getProject(caller.user, pathId(params.id, "invalid_project_id")))));

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
