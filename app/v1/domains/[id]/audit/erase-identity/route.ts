import { domainAddress, eraseIdentityRoute } from "@/lib/api/audit-chain-routes";
import { RAW } from "@/lib/api/route";

/** 501 audit_not_provisioned after the gate and the body: entries keep their actor under MAC and hash (lib/audit/erase.ts). */
export const { GET, POST, PUT, PATCH, DELETE } = eraseIdentityRoute(domainAddress, { id: RAW });
