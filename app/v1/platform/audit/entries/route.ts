import { chainListRoute, platformAddress } from "@/lib/api/audit-chain-routes";

/** The platform chain, which is the console's one chain (lib/audit/chain-read.ts), in seq order (platform#manage). */
export const { GET, POST, PUT, PATCH, DELETE } = chainListRoute(platformAddress, {});
