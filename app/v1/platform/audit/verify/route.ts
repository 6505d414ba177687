import { json, methodsNotAllowed, optionalBody, route } from "@/lib/api/route";
import { auditChainVerifyRequestSchema } from "@/lib/api/schemas";
import { auditVerdictToWire } from "@/lib/api/wire";
import { authorizePlatformAuditVerify } from "@/lib/audit/verify";

/** The platform chain is the Domain's chain here: the same verdict, asked and recorded against the platform. */
export const POST = route({
  authorize: (caller) => authorizePlatformAuditVerify(caller.user),
  body: optionalBody(auditChainVerifyRequestSchema),
  handle: async ({ permit, body }) =>
    json(
      auditVerdictToWire(
        await permit.verify({
          from: body.from_seq === undefined ? undefined : BigInt(body.from_seq),
          to: body.to_seq === undefined ? undefined : BigInt(body.to_seq),
        }),
      ),
    ),
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
