"use server";

import { z } from "zod";
import { action } from "@/lib/actions";
import { authorizePlatform } from "@/lib/authz/service";
import { ValidationError } from "@/lib/errors";
import { idField } from "@/lib/validation";
import { createBinding, deleteBinding, setBindingStatus, updateBinding } from "./bindings";
import { claimMappingsSchema, idpBindingFormSchema, jitPolicySchema, type IdpBindingForm, type JitPolicy } from "./schema";

const PAGE = "/settings/identity-providers";

/** The form's text fields as the service's input; the rules are the wire schema's (idp-schema.ts). */
function fromForm(form: IdpBindingForm): {
  jitPolicy: JitPolicy;
  scopes: string[];
  claimMappings: { email?: string; name?: string; groups?: string };
} {
  const domains = form.jitDomains.split(/[\s,]+/).filter(Boolean);
  const jit = jitPolicySchema.safeParse(form.jitMode === "domains" ? { mode: "domains", domains } : { mode: form.jitMode });
  if (!jit.success)
    throw new ValidationError("invalid_jit_policy", "List at least one email domain, such as example.com.", {
      jitDomains: "List at least one email domain, such as example.com.",
    });
  const scopes = form.scopes.split(/\s+/).filter(Boolean);
  if (scopes.length > 0 && !scopes.includes("openid"))
    throw new ValidationError("invalid_body", "Scopes must include openid.", { scopes: "Scopes must include openid." });
  const mappings = claimMappingsSchema.parse({
    ...(form.emailClaim ? { email: form.emailClaim } : {}),
    ...(form.nameClaim ? { name: form.nameClaim } : {}),
    ...(form.groupsClaim ? { groups: form.groupsClaim } : {}),
  });
  return { jitPolicy: jit.data, scopes: scopes.length > 0 ? scopes : ["openid", "email", "profile"], claimMappings: mappings };
}

const binding = z.object({ id: idField });
const onThePage = () => [PAGE];

export const createIdpBindingAction = action(
  {
    name: "createIdpBinding",
    authorize: (user) => authorizePlatform(user),
    input: idpBindingFormSchema.refine((form) => form.clientSecret, { path: ["clientSecret"], message: "Enter the client secret." }),
    revalidate: onThePage,
  },
  async ({ permit, input }) => {
    const { issuer, clientId, clientSecret, alias } = input;
    await createBinding(permit, { domainId: null, issuer, clientId, clientSecret, alias, ...fromForm(input) });
  },
);

export const updateIdpBindingAction = action(
  {
    name: "updateIdpBinding",
    authorize: (user) => authorizePlatform(user),
    target: binding,
    input: idpBindingFormSchema,
    revalidate: onThePage,
  },
  async ({ permit, target, input }) => {
    // An empty secret field keeps the stored secret; the issuer is fixed once created (as in the contract).
    const secret = input.clientSecret ? { clientSecret: input.clientSecret } : {};
    await updateBinding(permit, target.id, { clientId: input.clientId, alias: input.alias, ...secret, ...fromForm(input) });
  },
);

export const setIdpBindingStatusAction = action(
  {
    name: "setIdpBindingStatus",
    authorize: (user) => authorizePlatform(user),
    target: binding,
    input: z.object({ active: z.boolean() }),
    revalidate: onThePage,
  },
  async ({ permit, target, input }) => {
    await setBindingStatus(permit, target.id, input.active ? "active" : "inactive");
  },
);

export const deleteIdpBindingAction = action(
  { name: "deleteIdpBinding", authorize: (user) => authorizePlatform(user), target: binding, revalidate: onThePage },
  async ({ permit, target }) => {
    await deleteBinding(permit, target.id);
  },
);
