"use server";

import { revalidatePath } from "next/cache";
import { requireActionUser } from "@/lib/action-user";
import { formFailure, type FormFailure } from "@/lib/actions";
import { ValidationError } from "@/lib/errors";
import { fieldErrorsOf } from "@/lib/validation";
import { createBinding, deleteBinding, setBindingStatus, updateBinding } from "./idp-bindings";
import { claimMappingsSchema, idpBindingFormSchema, jitPolicySchema, type IdpBindingForm, type JitPolicy } from "./idp-schema";

const PAGE = "/settings/identity-providers";
type Done = { ok: true } | FormFailure;

/** The form's text fields as the service's input; the rules are the wire schema's (idp-schema.ts). */
function fromForm(form: IdpBindingForm): { jitPolicy: JitPolicy; scopes: string[]; claimMappings: { email?: string; name?: string; groups?: string } } {
  const domains = form.jitDomains.split(/[\s,]+/).filter(Boolean);
  const jit = jitPolicySchema.safeParse(form.jitMode === "domains" ? { mode: "domains", domains } : { mode: form.jitMode });
  if (!jit.success) throw new ValidationError("invalid-jit-policy", "List at least one email domain, such as example.com.", { jitDomains: "List at least one email domain, such as example.com." });
  const scopes = form.scopes.split(/\s+/).filter(Boolean);
  if (scopes.length > 0 && !scopes.includes("openid")) throw new ValidationError("invalid_body", "Scopes must include openid.", { scopes: "Scopes must include openid." });
  const mappings = claimMappingsSchema.parse({
    ...(form.emailClaim ? { email: form.emailClaim } : {}),
    ...(form.nameClaim ? { name: form.nameClaim } : {}),
    ...(form.groupsClaim ? { groups: form.groupsClaim } : {}),
  });
  return { jitPolicy: jit.data, scopes: scopes.length > 0 ? scopes : ["openid", "email", "profile"], claimMappings: mappings };
}

export async function createIdpBindingAction(values: unknown): Promise<Done> {
  const user = await requireActionUser();
  const parsed = idpBindingFormSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  if (!parsed.data.clientSecret) return { ok: false, fieldErrors: { clientSecret: "Enter the client secret." } };
  try {
    const form = fromForm(parsed.data);
    await createBinding(user, { domainId: null, issuer: parsed.data.issuer, clientId: parsed.data.clientId, clientSecret: parsed.data.clientSecret, alias: parsed.data.alias, ...form });
  } catch (error) {
    return formFailure(error, "createIdpBinding");
  }
  revalidatePath(PAGE);
  return { ok: true };
}

export async function updateIdpBindingAction(id: string, values: unknown): Promise<Done> {
  const user = await requireActionUser();
  const parsed = idpBindingFormSchema.safeParse(values);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  try {
    const form = fromForm(parsed.data);
    // An empty secret field keeps the stored secret; the issuer is fixed once created (as in the contract).
    await updateBinding(user, String(id), { clientId: parsed.data.clientId, alias: parsed.data.alias, ...(parsed.data.clientSecret ? { clientSecret: parsed.data.clientSecret } : {}), ...form });
  } catch (error) {
    return formFailure(error, "updateIdpBinding");
  }
  revalidatePath(PAGE);
  return { ok: true };
}

export async function setIdpBindingStatusAction(id: string, active: boolean): Promise<Done> {
  const user = await requireActionUser();
  try {
    await setBindingStatus(user, String(id), active ? "active" : "inactive");
  } catch (error) {
    return formFailure(error, "setIdpBindingStatus");
  }
  revalidatePath(PAGE);
  return { ok: true };
}

export async function deleteIdpBindingAction(id: string): Promise<Done> {
  const user = await requireActionUser();
  try {
    await deleteBinding(user, String(id));
  } catch (error) {
    return formFailure(error, "deleteIdpBinding");
  }
  revalidatePath(PAGE);
  return { ok: true };
}
