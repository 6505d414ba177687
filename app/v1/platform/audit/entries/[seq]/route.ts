import { chainEntryRoute, platformAddress } from "@/lib/api/audit-chain-routes";

/** One entry of the platform chain with its proof; 404 for a caller who may not read it. */
export const { GET, POST, PUT, PATCH, DELETE } = chainEntryRoute(platformAddress, {});
