import { z } from "zod";

/**
 * One rule for every name and email a person types or an identity provider
 * sends: display names of people, groups, Clouds, Projects, credentials and
 * tokens, invited emails and account emails. Text that renders as nothing,
 * or reorders what is around it, makes two names that read the same
 * (`owner@example.com` and `owner@example.com\u200b`) or one that reads
 * other than it is (an RLO turning `gpj.exe` around). Typed input with such
 * characters is refused; what an IdP sends is cleaned (stripInvisible), so
 * a sign-in is not refused for a name the person cannot change.
 * No server-only imports: the forms validate with these too.
 */

// Controls (C0, C1, DEL), format characters (zero-width space/joiners, bidi
// marks, embeddings, overrides and isolates, soft hyphen, word joiner, BOM,
// tags), line and paragraph separators, the other default-ignorables
// (variation selectors, Hangul fillers, combining grapheme joiner, Mongolian
// vowel separator), lone surrogates and noncharacters.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]/u;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, "gu");

export const INVISIBLE_MESSAGE = "Use printable characters only.";

export function hasInvisibleCharacters(value: string): boolean {
  return INVISIBLE.test(value);
}

/**
 * A name as it is stored and compared, after PRECIS's Nickname profile
 * (RFC 8266): compatibility forms folded (NFKC: fullwidth letters,
 * ligatures, no-break and other wide spaces), runs of spaces made one,
 * trimmed. Invisible characters are left for the check to refuse.
 */
export function normaliseName(value: string): string {
  return value
    .normalize("NFKC")
    .replace(/\p{Zs}+/gu, " ")
    .trim();
}

/** For text we cannot refuse (an IdP's `name` claim, a CLI's label): the invisible characters removed, then normalised. */
export function stripInvisible(value: string): string {
  return normaliseName(value.replace(INVISIBLE_ALL, ""));
}

/**
 * An email as stored and looked up: NFKC (a fullwidth `ｏｗｎｅｒ@…` is the
 * ASCII address), trimmed, lowercased. Every account, invitation and
 * lookup by email goes through this, so one address is one account.
 */
export function normaliseEmail(value: string): string {
  return value.normalize("NFKC").trim().toLowerCase();
}

export const EMAIL_MAX = 255;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

/** A name field: normalised, required, bounded, printable. */
export function nameField(options: { label: string; max: number; required?: string; invalid?: string }) {
  return z
    .string({ message: options.required ?? `Enter ${options.label}.` })
    .overwrite(normaliseName)
    .min(1, options.required ?? `Enter ${options.label}.`)
    .max(options.max, `${capitalize(options.label)} is at most ${options.max} characters.`)
    .refine((v) => !hasInvisibleCharacters(v), options.invalid ?? `${capitalize(options.label)} contains characters that are not allowed.`);
}

/** An email a person types (an invitation, an account): normalised, one `@`, bounded, printable. */
export function emailField(message = "Enter an email address.") {
  return z
    .string({ message })
    .overwrite(normaliseEmail)
    .max(EMAIL_MAX, message)
    .regex(EMAIL_SHAPE, message)
    .refine((v) => !hasInvisibleCharacters(v), "This email address contains characters that are not allowed.");
}

function capitalize(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
