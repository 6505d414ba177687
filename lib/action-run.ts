import "server-only";
import { z } from "zod";
import type { SessionUser } from "@/lib/auth/session";
import { isDomainError, type FieldErrors } from "@/lib/errors";
import { log } from "@/lib/log";
import { UNAVAILABLE_MESSAGE, unavailableDependency } from "@/lib/unavailable";
import { fieldErrorsOf } from "@/lib/validation";
import { correlationId as requestCorrelationId } from "@/lib/http/correlation";

// Apart from lib/actions.ts (which adds sign-in, revalidation and redirects) so a test runs an action
// as a given user without Next's request scope.

/** What a server action answers when it did not succeed. */
export interface FormFailure {
  ok: false;
  formError?: string;
  fieldErrors: FieldErrors;
}

/** Every action's answer: its data on success, else what the form shows. */
export type ActionResult<T extends object = object> = ({ ok: true } & T) | FormFailure;

type AnyObject = z.ZodType<Record<string, unknown>, Record<string, unknown>>;

export interface ActionSpec<Target extends AnyObject, Input extends AnyObject, Permit, Data extends object> {
  /** For the log line of an unexpected failure; never shown. */
  name: string;
  /** The ids the action is about, read first from the argument; only they are seen before `authorize` answers. */
  target?: Target;
  /**
   * The permission question for the target, asked before `input` is read: for actions whose input
   * carries a secret. Its answer (a capability, e.g. a CredentialIssuer) reaches the handler. Other
   * actions leave permission to the service they call, which checks the specific resource itself.
   */
  authorize?: (user: SessionUser, target: z.output<Target>) => Promise<Permit>;
  /** The rest of the argument: the same zod schema the form validates with. */
  input?: Input;
  /** Pages whose server data this action changed, revalidated on success. */
  revalidate?: (target: z.output<Target>, data: Data) => string[];
  /** Where a success lands instead of answering (a created thing's page). */
  redirect?: (target: z.output<Target>, data: Data) => string;
}

export interface ActionContext<Target extends AnyObject, Input extends AnyObject, Permit> {
  user: SessionUser;
  target: z.output<Target>;
  input: z.output<Input>;
  permit: Permit;
}

export type ActionHandler<Target extends AnyObject, Input extends AnyObject, Permit, Data extends object> = (
  context: ActionContext<Target, Input, Permit>,
) => Promise<Data | void>;

export interface ActionDefinition<Target extends AnyObject, Input extends AnyObject, Permit, Data extends object> {
  spec: ActionSpec<Target, Input, Permit, Data>;
  handler: ActionHandler<Target, Input, Permit, Data>;
}

/** What the client passes: the target's ids and the input's fields in one object (or a plain form's FormData). */
export type ActionArgument<Target extends AnyObject, Input extends AnyObject> = z.input<Target> & z.input<Input>;

const EMPTY = z.object({});

/** An action as data, for `action()` to serve and for tests to run with `performAction`. */
export function defineAction<
  Target extends AnyObject = typeof EMPTY,
  Input extends AnyObject = typeof EMPTY,
  Permit = undefined,
  Data extends object = object,
>(
  spec: ActionSpec<Target, Input, Permit, Data>,
  handler: ActionHandler<Target, Input, Permit, Data>,
): ActionDefinition<Target, Input, Permit, Data> {
  return { spec, handler };
}

/**
 * Runs one action for a signed-in caller: the target's ids, the
 * permission question, then the input, then the handler. Nothing the handler would see is read
 * before the permission answer, and bad input never reaches the handler. Errors become the form's
 * answer here, once, for every action.
 */
export async function performAction<Target extends AnyObject, Input extends AnyObject, Permit, Data extends object>(
  definition: ActionDefinition<Target, Input, Permit, Data>,
  user: SessionUser,
  argument: unknown,
): Promise<{ ok: true; target: z.output<Target>; data: Data } | FormFailure> {
  const { spec, handler } = definition;
  const raw = argument instanceof FormData ? fromFormData(argument) : argument;
  const target = (spec.target ?? EMPTY).safeParse(raw ?? {});
  if (!target.success) return { ok: false, fieldErrors: fieldErrorsOf(target.error) };
  let permit: Permit;
  try {
    permit = spec.authorize ? await spec.authorize(user, target.data as z.output<Target>) : (undefined as Permit);
  } catch (error) {
    return formFailure(error, spec.name);
  }
  const input = (spec.input ?? EMPTY).safeParse(raw ?? {});
  if (!input.success) return { ok: false, fieldErrors: fieldErrorsOf(input.error) };
  try {
    const data =
      (await handler({ user, target: target.data as z.output<Target>, input: input.data as z.output<Input>, permit })) ?? ({} as Data);
    return { ok: true, target: target.data as z.output<Target>, data };
  } catch (error) {
    return formFailure(error, spec.name);
  }
}

/**
 * The one place an action's error becomes something a user sees. Expected
 * errors keep their own (fixed, value-free) message; anything else is logged
 * by name with a correlation id and answered generically.
 */
export function formFailure(error: unknown, action: string): FormFailure {
  const dependency = unavailableDependency(error);
  if (dependency) {
    log.warn("server_action.dependency_unavailable", { action, dependency });
    return { ok: false, fieldErrors: {}, formError: UNAVAILABLE_MESSAGE[dependency] };
  }
  if (isDomainError(error)) {
    const hasFields = Object.keys(error.fieldErrors).length > 0;
    return { ok: false, fieldErrors: error.fieldErrors, formError: hasFields ? undefined : error.message };
  }
  const correlationId = requestCorrelationId();
  log.error("server_action.failed", {
    action,
    correlation_id: correlationId,
    error: error instanceof Error ? error.name : typeof error,
  });
  return { ok: false, fieldErrors: {}, formError: `Something went wrong on our side (reference ${correlationId}). Nothing was saved.` };
}

/** A form posted without script (the device approval page): its text fields and files, by name. */
function fromFormData(form: FormData): Record<string, FormDataEntryValue> {
  const out: Record<string, FormDataEntryValue> = {};
  for (const [name, value] of form.entries()) out[name] ??= value;
  return out;
}
