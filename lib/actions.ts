import "server-only";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { requireActionUser, requireConsoleRequest } from "@/lib/action-user";
import { defineAction, performAction, type ActionArgument, type ActionContext, type ActionResult, type ActionSpec } from "@/lib/action-run";

export { formFailure, type ActionResult, type FormFailure } from "@/lib/action-run";

type AnyObject = z.ZodType<Record<string, unknown>, Record<string, unknown>>;

/**
 * The one shape of a server action: a declaration (name, the target's ids, an optional permission
 * question asked before the input is read, the input's zod schema, what to revalidate or where to
 * land) and the service call. Sign-in (our pages only, then a signed-in user), parsing into field
 * errors and error mapping happen here, the same for every action:
 *
 *   export const revokeTokenAction = action(
 *     { name: "revokeToken", target: z.object({ tokenId: idField }), revalidate: () => ["/settings/tokens"] },
 *     ({ user, target }) => revokeToken(user, target.tokenId),
 *   );
 *
 * The client calls it with one object (ids and fields together) through `useAction` (components/useAction.ts).
 */
export function action<Target extends AnyObject, Input extends AnyObject, Permit = undefined, Data extends object = object>(
  spec: ActionSpec<Target, Input, Permit, Data>,
  handler: (context: ActionContext<Target, Input, Permit>) => Promise<Data | void>,
): (argument: ActionArgument<Target, Input> | FormData) => Promise<ActionResult<Data>> {
  const definition = defineAction(spec, handler);
  return async (argument) => {
    const user = await requireActionUser();
    const result = await performAction(definition, user, argument);
    return settle(spec, result);
  };
}

/**
 * An action a signed-out person runs from our pages (accepting an invitation, setting a password):
 * the link's token in its input is the credential, so the handler has no user.
 */
export function publicAction<Input extends AnyObject, Data extends object = object>(
  spec: Omit<ActionSpec<AnyObject, Input, undefined, Data>, "authorize" | "target">,
  handler: (context: { input: z.output<Input> }) => Promise<Data | void>,
): (argument: z.input<Input>) => Promise<ActionResult<Data>> {
  const definition = defineAction(spec, ({ input }) => handler({ input }));
  return async (argument) => {
    await requireConsoleRequest();
    // No one is signed in: performAction hands the handler a user only through the context, which this one ignores.
    const result = await performAction(definition, ANONYMOUS, argument);
    return settle(spec, result);
  };
}

const ANONYMOUS = Object.freeze({ id: "", email: "", displayName: "" });

function settle<Data extends object>(
  spec: { revalidate?: (target: never, data: Data) => string[]; redirect?: (target: never, data: Data) => string },
  result: Awaited<ReturnType<typeof performAction>>,
): ActionResult<Data> {
  if (!result.ok) return result;
  const target = result.target as never;
  const data = result.data as Data;
  for (const path of spec.revalidate?.(target, data) ?? []) revalidatePath(path);
  if (spec.redirect) redirect(spec.redirect(target, data));
  return { ok: true, ...data };
}
