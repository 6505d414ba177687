import { pathId } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { domainToWire } from "@/lib/api/wire";
import { findDomain } from "@/lib/tenancy/domain";

export const GET = apiRoute<{ id: string }>(async ({ params }) => json(domainToWire(findDomain(pathId(params.id, "invalid_domain_id")))));

export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed(["GET"]);
