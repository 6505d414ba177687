import { json, methodsNotAllowed, optionalBody, RAW, route } from "@/lib/api/route";
import { auditChainVerifyRequestSchema } from "@/lib/api/schemas";
import { auditVerdictToWire } from "@/lib/api/wire";
import { authorizeAuditVerify } from "@/lib/audit/verify";

/** The body is optional (the contract: omit it to verify the whole chain); the Domain id is judged after platform#manage, so outsiders learn nothing. */
export const POST = route({
  params: { id: RAW },
  authorize: (caller, { id }) => authorizeAuditVerify(caller.user, id),
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
