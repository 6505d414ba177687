import { readOptionalJsonBody } from "@/lib/api/body";
import { checkBody } from "@/lib/api/parse";
import { apiRoute, json, methodsNotAllowed } from "@/lib/api/route";
import { auditChainVerifyRequestSchema } from "@/lib/api/schemas";
import { verifyAuditTrail } from "@/lib/audit/verify";
import { auditVerdictToWire } from "@/lib/api/wire";

/** The body is optional (the contract: omit it to verify the whole chain); bounds are read after the caller is authorized. */
export const POST = apiRoute<{ id: string }>(async ({ request, caller, params }) => {
  const verdict = await verifyAuditTrail(caller.user, params.id, async () => {
    const body = checkBody((await readOptionalJsonBody(request)) ?? {}, auditChainVerifyRequestSchema);
    return { from: body.from_seq === undefined ? undefined : BigInt(body.from_seq), to: body.to_seq === undefined ? undefined : BigInt(body.to_seq) };
  });
  return json(auditVerdictToWire(verdict));
});

export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed(["POST"]);
