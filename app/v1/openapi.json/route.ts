import { openApiDocument } from "@/lib/api/openapi";
import { json, methodsNotAllowed, publicRoute } from "@/lib/api/route";

export const GET = publicRoute({ handle: async () => json(openApiDocument()) });

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
