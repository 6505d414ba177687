import { z } from "zod";
import { SLUG_MAX, SLUG_PATTERN } from "@/lib/validation";

const CLAIM_NAME_MAX = 128;

/**
 * IdP bindings, written once: the /v1/admin/idp wire shapes (contract field
 * names, snake_case), the console form, and the JIT policy the sign-in code
 * reads. No server-only import: the Settings form validates with these too.
 */

/** Who may be created on a first sign-in through a binding. */
export const jitPolicySchema = z.discriminatedUnion("mode", [
  // Anyone the IdP vouches for with a verified email (the contract's `allow`).
  z.object({ mode: z.literal("allow") }).strict(),
  // Nobody new: only people who already have an account here (the contract's `deny`).
  z.object({ mode: z.literal("deny") }).strict(),
  // Only people with a pending, unexpired invitation for that email.
  z.object({ mode: z.literal("invited") }).strict(),
  // Any verified email at one of these domains (exact match, lowercase).
  z
    .object({
      mode: z.literal("domains"),
      domains: z
        .array(
          z
            .string()
            .trim()
            .toLowerCase()
            .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a domain name such as example.com"),
        )
        .min(1)
        .max(50),
    })
    .strict(),
]);
export type JitPolicy = z.infer<typeof jitPolicySchema>;

/** On the wire: the contract's `allow` / `deny` strings, or one of our object shapes. */
export const jitPolicyWireSchema = z.union([z.enum(["allow", "deny"]), jitPolicySchema]).meta({
  id: "IdPJitPolicy",
  description:
    'Just-in-time provisioning: "allow" (any verified email), "deny" (existing accounts only), ' +
    '{"mode":"invited"} (pending invitations only) or {"mode":"domains","domains":["example.com"]}.',
});
export type JitPolicyWire = z.infer<typeof jitPolicyWireSchema>;

export function jitPolicyFromWire(value: JitPolicyWire): JitPolicy {
  return typeof value === "string" ? { mode: value } : value;
}

export function jitPolicyToWire(policy: JitPolicy): JitPolicyWire {
  return policy.mode === "allow" || policy.mode === "deny" ? policy.mode : policy;
}

/** Lowercase kebab-case, as the contract normalises aliases. */
export function normaliseAlias(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const httpUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => {
    try {
      return /^https?:$/.test(new URL(value).protocol);
    } catch {
      return false;
    }
  }, "must be an absolute http(s) URL");

const alias = z.string().max(SLUG_MAX).transform(normaliseAlias).pipe(z.string().regex(SLUG_PATTERN, "must contain letters or digits"));

/** Claim names read for each: email, name and the groups list. */
export const claimMappingsSchema = z
  .object({
    email: z.string().min(1).max(CLAIM_NAME_MAX).optional(),
    name: z.string().min(1).max(CLAIM_NAME_MAX).optional(),
    groups: z.string().min(1).max(CLAIM_NAME_MAX).optional(),
  })
  .strict();
export type ClaimMappings = z.infer<typeof claimMappingsSchema>;

const scopes = z
  .array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,64}$/))
  .max(20)
  .refine((list) => list.includes("openid"), "must include openid");

/** The client secret: write-only, sent once, kept in the secret store. */
const CLIENT_SECRET_MAX = 4096;
const clientSecret = z.string().min(1).max(CLIENT_SECRET_MAX);

const bindingFields = {
  issuer: httpUrl,
  client_id: z.string().trim().min(1).max(512),
  client_secret: clientSecret,
  discovery_url: httpUrl.optional(),
  scopes: scopes.optional(),
  claim_mappings: claimMappingsSchema.optional(),
  required_acr: z.array(z.string().max(256)).max(20).optional(),
  required_amr: z.array(z.string().max(256)).max(20).optional(),
  jit_policy: jitPolicyWireSchema,
  alias: alias.optional(),
};

export const idpBindingRequestSchema = z
  .object({ domain_id: z.string().uuid(), ...bindingFields, primary: z.boolean().optional() })
  .strict()
  .meta({
    id: "IdPBindingRequest",
    description:
      "Body for POST /v1/admin/idp. `client_secret` (ours) carries the secret itself, write-only: it goes " +
      "to the secret store and only `client_secret_ref` is kept and echoed.",
  });

export const platformIdpBindingRequestSchema = z.object(bindingFields).strict().meta({ id: "PlatformIdPBindingRequest" });

export const idpBindingPatchRequestSchema = z
  .object({
    discovery_url: httpUrl.optional(),
    client_id: z.string().trim().min(1).max(512).optional(),
    client_secret: clientSecret.optional(),
    scopes: scopes.optional(),
    claim_mappings: claimMappingsSchema.optional(),
    required_acr: z.array(z.string().max(256)).max(20).optional(),
    required_amr: z.array(z.string().max(256)).max(20).optional(),
    jit_policy: jitPolicyWireSchema.optional(),
    alias: z.string().max(63).optional(),
    primary: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, "the patch is empty")
  .meta({ id: "IdPBindingPatchRequest" });

export const idpBindingStatusRequestSchema = z
  .object({ status: z.enum(["active", "deactivated"]) })
  .strict()
  .meta({ id: "IdPBindingStatusRequest" });

export const idpBindingResponseSchema = z
  .object({
    id: z.string().uuid(),
    domain_id: z.string().uuid().nullable(),
    issuer: z.string(),
    client_id: z.string(),
    client_secret_ref: z.string(),
    discovery_url: z.string(),
    scopes: z.array(z.string()),
    claim_mappings: z.record(z.string(), z.string()),
    required_acr: z.array(z.string()),
    required_amr: z.array(z.string()),
    jit_policy: jitPolicyWireSchema,
    status: z.enum(["active", "inactive", "degraded", "deactivated"]),
    alias: z.string().optional(),
    primary: z.boolean(),
    platform_scoped: z.boolean(),
    created_at: z.string().datetime({ offset: true }),
    updated_at: z.string().datetime({ offset: true }),
  })
  .meta({ id: "IdPBindingResponse" });

export const domainIdpBindingSchema = z
  .object({
    id: z.string().uuid(),
    alias: z.string().optional(),
    label: z.string(),
    issuer_host: z.string(),
    primary: z.boolean(),
    platform_scoped: z.boolean(),
  })
  .meta({ id: "DomainIdPBinding" });

/** The console's form: one text field per list, parsed into the wire body. */
export const idpBindingFormSchema = z.object({
  alias: z.string().trim().min(1, "Give the provider a short name.").max(SLUG_MAX),
  issuer: z.string().trim().min(1, "Enter the issuer URL.").pipe(httpUrl),
  clientId: z.string().trim().min(1, "Enter the client id.").max(512),
  /** Empty on edit: keep the stored secret. */
  clientSecret: z.string().max(CLIENT_SECRET_MAX),
  scopes: z.string().trim().max(512),
  emailClaim: z.string().trim().max(CLAIM_NAME_MAX),
  nameClaim: z.string().trim().max(CLAIM_NAME_MAX),
  groupsClaim: z.string().trim().max(CLAIM_NAME_MAX),
  jitMode: z.enum(["allow", "deny", "invited", "domains"]),
  jitDomains: z.string().trim().max(2048),
});
export type IdpBindingForm = z.infer<typeof idpBindingFormSchema>;
