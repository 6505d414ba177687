import "server-only";
import { checkBody, readJsonBody } from "@/lib/api/body";
import { ValidationError } from "@/lib/errors";
import type { BindingInput, BindingPatch } from "./bindings";
import {
  idpBindingPatchRequestSchema,
  idpBindingRequestSchema,
  jitPolicyFromWire,
  jitPolicyWireSchema,
  platformIdpBindingRequestSchema,
} from "./schema";

/**
 * The /v1/admin/idp bodies, read into the service's inputs. Call only after
 * authorize(): a caller without platform#manage learns nothing from them.
 */
async function readRaw(request: Request): Promise<unknown> {
  const raw = await readJsonBody(request);
  if (raw && typeof raw === "object" && !Array.isArray(raw)) {
    const body = raw as Record<string, unknown>;
    // The contract's own code for a policy it does not know.
    if ("jit_policy" in body && !jitPolicyWireSchema.safeParse(body.jit_policy).success) {
      throw new ValidationError(
        "invalid_jit_policy",
        'jit_policy must be "allow", "deny", {"mode":"invited"} or {"mode":"domains","domains":[…]}',
      );
    }
    // We mint the reference ourselves: a caller-chosen one could point the IdP exchange at another secret.
    if ("client_secret_ref" in body) {
      throw new ValidationError("invalid_body", "client_secret_ref is assigned by the server; send the secret itself as client_secret");
    }
  }
  return raw;
}

export async function readBindingCreate(request: Request, scope: "domain" | "platform"): Promise<BindingInput> {
  const raw = await readRaw(request);
  const body =
    scope === "domain"
      ? checkBody(raw, idpBindingRequestSchema)
      : { ...checkBody(raw, platformIdpBindingRequestSchema), domain_id: null, primary: false };
  return {
    domainId: body.domain_id,
    issuer: body.issuer,
    clientId: body.client_id,
    clientSecret: body.client_secret,
    discoveryUrl: body.discovery_url,
    scopes: body.scopes,
    claimMappings: body.claim_mappings,
    requiredAcr: body.required_acr,
    requiredAmr: body.required_amr,
    jitPolicy: jitPolicyFromWire(body.jit_policy),
    alias: body.alias,
    primary: body.primary,
  };
}

export async function readBindingPatch(request: Request): Promise<BindingPatch> {
  const body = checkBody(await readRaw(request), idpBindingPatchRequestSchema);
  return {
    discoveryUrl: body.discovery_url,
    clientId: body.client_id,
    clientSecret: body.client_secret,
    scopes: body.scopes,
    claimMappings: body.claim_mappings,
    requiredAcr: body.required_acr,
    requiredAmr: body.required_amr,
    jitPolicy: body.jit_policy === undefined ? undefined : jitPolicyFromWire(body.jit_policy),
    alias: body.alias,
    primary: body.primary,
  };
}
