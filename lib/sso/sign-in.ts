import "server-only";
import { v7 as uuidv7 } from "uuid";
import { recordAudit } from "@/lib/audit/service";
import { PLATFORM_ID } from "@/lib/authz/schema";
import { grant } from "@/lib/authz/service";
import { db, uniqueViolation, type Tx } from "@/lib/db/client";
import { env } from "@/lib/env";
import { syncIdpMemberships } from "@/lib/identity/groups";
import { normaliseEmail, stripInvisible } from "@/lib/names";
import { claimMappingsOf, jitPolicyOf } from "./bindings";
import type { JitPolicy } from "./schema";
import { PERSON_NAME_MAX, accountEmailSchema } from "@/lib/identity/invitation-rules";
import { hasOpenInvitation, redeemInvitationByEmail } from "@/lib/identity/invitations";

/**
 * What happens when the IdP sends someone back: the binding must be
 * active, the email verified, the person not disabled, and a first-timer
 * admitted by the binding's JIT policy. Every refusal has one code the
 * sign-in page turns into one sentence, and an audit entry naming the
 * binding; success records the sign-in, a JIT creation, and group changes.
 */
export const SSO_REFUSALS = {
  binding_inactive: "This sign-in option is not available any more. Choose another one.",
  email_missing: "Your identity provider did not tell us your email address, so you cannot sign in with it.",
  email_invalid: "Your identity provider sent an email address with characters we cannot accept. Ask its administrator to correct it.",
  email_unverified: "Your identity provider has not verified your email address. Verify it there, then sign in again.",
  user_disabled: "Your account is disabled. Ask a platform administrator to re-enable it.",
  jit_refused:
    "You do not have an account here yet, and this identity provider may not create one for you. Ask a platform administrator for an invitation.",
} as const;
export type SsoRefusal = keyof typeof SSO_REFUSALS;

export type SsoVerdict = { ok: true; user: { id: string; email: string; displayName: string } } | { ok: false; reason: SsoRefusal };

type Claims = Record<string, unknown>;

function stringClaim(claims: Claims, name: string): string | undefined {
  const value = claims[name];
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function groupsClaim(claims: Claims, name: string): string[] {
  const value = claims[name];
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** `email_verified` as IdPs send it: a boolean, or sometimes the string "true". */
function emailVerified(claims: Claims): boolean | undefined {
  const value = claims.email_verified;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return undefined;
}

/** A display name from the IdP: cleaned rather than refused (the person cannot change it here), bounded. */
function displayNameClaim(claims: Claims, name: string): string | undefined {
  const value = claims[name];
  if (typeof value !== "string") return undefined;
  const cleaned = Array.from(stripInvisible(value)).slice(0, PERSON_NAME_MAX).join("").trim();
  return cleaned === "" ? undefined : cleaned;
}

/**
 * Whether the binding's JIT policy admits a first-timer with this email.
 * An admin's invitation for the address admits them too, where the policy
 * alone would not: under `invited` as that policy always has, elsewhere
 * only for an email the IdP marks verified (an invitation is for an
 * address, and only a verified one is that person's).
 */
function admits(policy: JitPolicy, email: string, verified: boolean | undefined): "yes" | "by_invitation" | "no" {
  if (policy.mode === "allow") return "yes";
  if (policy.mode === "domains" && verified === true && policy.domains.includes(email.slice(email.lastIndexOf("@") + 1))) return "yes";
  return policy.mode === "invited" || verified === true ? "by_invitation" : "no";
}

class Raced extends Error {}

class Refused extends Error {
  constructor(readonly reason: SsoRefusal) {
    super(reason);
  }
}

export async function ssoSignIn(providerAlias: string, claims: Claims, retried = false): Promise<SsoVerdict> {
  const binding = await db().idpBinding.findUnique({ where: { alias: providerAlias } });
  const target = { type: "idp_binding", id: binding?.id ?? providerAlias };
  const mappings = binding ? claimMappingsOf(binding) : claimMappingsOf({ claimMappings: {} });
  const claimedEmail = stringClaim(claims, mappings.email);
  const email = claimedEmail === undefined ? undefined : normaliseEmail(claimedEmail);
  const refuse = async (reason: SsoRefusal): Promise<SsoVerdict> => {
    await recordAudit({
      actorId: null,
      action: "auth.sign_in",
      target,
      outcome: "denied",
      reason: `${reason}${email ? ` for ${email}` : ""}${binding ? ` via ${binding.alias}` : ""}`,
    });
    return { ok: false, reason };
  };
  if (!binding || binding.status !== "active") return refuse("binding_inactive");
  const subject = stringClaim(claims, "sub");
  if (!email || !subject) return refuse("email_missing");
  // An address that only reads like another one is not that one, and stripping would make it so: refused.
  if (!accountEmailSchema.safeParse(email).success) return refuse("email_invalid");
  const verified = emailVerified(claims);
  if (verified === false) return refuse("email_unverified");
  const name = displayNameClaim(claims, mappings.name) ?? email;
  const groups = groupsClaim(claims, mappings.groups);

  try {
    return await db().$transaction(async (tx) => {
      let user =
        (await tx.user.findUnique({ where: { idpBindingId_externalSubject: { idpBindingId: binding.id, externalSubject: subject } } })) ??
        // An account with this email (local, invited, another binding) is the same person only when the IdP verified the email.
        (verified ? await tx.user.findUnique({ where: { email } }) : null);
      let created = false;
      let admittedByInvitation = false;
      if (!user) {
        const admission = admits(jitPolicyOf(binding), email, verified);
        admittedByInvitation = admission === "by_invitation";
        if (admission === "no") throw new Refused("jit_refused");
        if (admittedByInvitation && !(await hasOpenInvitation(tx, email))) {
          // A concurrent first sign-in may have redeemed it and made the account since the lookup above: look again.
          if ((await tx.user.findUnique({ where: { email }, select: { id: true } })) !== null) throw new Raced();
          throw new Refused("jit_refused");
        }
        if ((await tx.user.findUnique({ where: { email }, select: { id: true } })) !== null) {
          // Made since the lookup above, by a concurrent first sign-in with this verified address: look again.
          if (verified === true) throw new Raced();
          // Someone has this address here, and the IdP did not vouch for it: not the same person until it does.
          throw new Refused("email_unverified");
        }
        user = await tx.user.create({
          data: { id: uuidv7(), email, displayName: name, passwordHash: null, idpBindingId: binding.id, externalSubject: subject },
        });
        created = true;
        await recordAudit(
          {
            actorId: user.id,
            action: "user.jit_create",
            target: { type: "user", id: user.id },
            outcome: "succeeded",
            reason: `${email} via ${binding.alias}`,
          },
          tx,
        );
      }
      if (user.status !== "active") throw new Refused("user_disabled");
      const firstSignIn = user.lastSignInAt === null;
      const emailTaken = user.email !== email && (await tx.user.findUnique({ where: { email }, select: { id: true } })) !== null;
      user = await tx.user.update({
        where: { id: user.id },
        data: {
          displayName: name,
          // Keep the old address if another account holds the new one; the IdP's subject still names this person.
          ...(emailTaken ? {} : { email }),
          lastSignInAt: new Date(),
          ...(user.idpBindingId === null && !created ? { idpBindingId: binding.id, externalSubject: subject } : {}),
        },
      });
      // An open invitation for this address is redeemed by whoever signs in with it, first time or not, under any
      // JIT policy, when the address is known to be theirs: the IdP marks it verified, or the binding's policy is
      // `invited`, whose admin trusts the IdP's addresses. Under `allow` an unverified address admits a person
      // but must not hand them what an admin meant for the address's owner.
      if (user.email === email && (verified === true || jitPolicyOf(binding).mode === "invited")) {
        const redeemed = await redeemInvitationByEmail(tx, { email, userId: user.id });
        // Two first sign-ins raced for one invitation: the one that lost it was admitted by nothing.
        if (admittedByInvitation && !redeemed) throw new Refused("jit_refused");
      }
      if (user.idpBindingId === binding.id) {
        await syncIdpMemberships(tx, { userId: user.id, bindingId: binding.id, bindingAlias: binding.alias, claimValues: groups });
      }
      await grantConfiguredAdmin(tx, user, firstSignIn);
      await recordAudit({ actorId: user.id, action: "auth.sign_in", target, outcome: "succeeded", reason: `via ${binding.alias}` }, tx);
      return { ok: true as const, user: { id: user.id, email: user.email, displayName: user.displayName } };
    });
  } catch (error) {
    if (error instanceof Refused) return refuse(error.reason);
    if (error instanceof Raced) return retried ? refuse("email_unverified") : ssoSignIn(providerAlias, claims, true);
    // Two first sign-ins of one person at once: the second finds the account the first made.
    if (!retried && uniqueViolation(error) !== undefined) return ssoSignIn(providerAlias, claims, true);
    throw error;
  }
}

/**
 * PLATFORM_ADMIN_EMAILS: the first administrator of an empty deployment.
 * Granted at a listed person's first sign-in only, so revoking it later holds.
 */
export async function grantConfiguredAdmin(tx: Tx, user: { id: string; email: string }, firstSignIn: boolean): Promise<void> {
  if (!firstSignIn || !env().platformAdminEmails.includes(user.email.toLowerCase())) return;
  await grant(tx, { type: "platform", id: PLATFORM_ID }, "manage", user.id);
  await recordAudit(
    {
      actorId: null,
      action: "relation.grant",
      target: { type: "platform", id: PLATFORM_ID },
      outcome: "succeeded",
      reason: `manage to ${user.email} (PLATFORM_ADMIN_EMAILS)`,
    },
    tx,
  );
}

/** A password sign-in: record when, and make a listed person an administrator the first time. */
export async function recordLocalSignIn(userId: string): Promise<void> {
  await db().$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, email: true, lastSignInAt: true } });
    await tx.user.update({ where: { id: userId }, data: { lastSignInAt: new Date() } });
    await grantConfiguredAdmin(tx, before, before.lastSignInAt === null);
  });
}
