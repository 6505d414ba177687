import { eraseIdentityRoute, platformAddress } from "@/lib/api/audit-chain-routes";

/** 501 audit_not_provisioned after the gate and the body (lib/audit/erase.ts). */
export const { GET, POST, PUT, PATCH, DELETE } = eraseIdentityRoute(platformAddress, {});
