import { chainListRoute, domainAddress } from "@/lib/api/audit-chain-routes";
import { RAW } from "@/lib/api/route";

/** The Domain's audit chain in seq order, filtered (platform#manage, then the Domain: 404 only after the gate). */
export const { GET, POST, PUT, PATCH, DELETE } = chainListRoute(domainAddress, { id: RAW });
