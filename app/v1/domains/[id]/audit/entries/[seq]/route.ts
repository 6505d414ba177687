import { chainEntryRoute, domainAddress } from "@/lib/api/audit-chain-routes";
import { RAW } from "@/lib/api/route";

/** One entry with the bytes its hash covers; a caller who may not read the chain is told 404, as for a missing seq. */
export const { GET, POST, PUT, PATCH, DELETE } = chainEntryRoute(domainAddress, { id: RAW });
