import { decideRoute } from "@/lib/api/decisions";
import { methodsNotAllowed } from "@/lib/api/route";

export const POST = decideRoute("revoke");

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
