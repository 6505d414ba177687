import type { FieldValues, Resolver } from "react-hook-form";
import type { z } from "zod";

/**
 * `zodResolver` over a schema fetched on the form's first validation. The
 * form keeps the one schema the server action checks again, while zod and
 * the schema stay out of the page's first-load JavaScript (they arrive as
 * the person starts to submit, long before a round trip would).
 *
 *   resolver: lazyZodResolver(() => import("@/lib/credentials/schema").then((m) => m.issueCredentialFormSchema))
 */
export function lazyZodResolver<TFieldValues extends FieldValues, TContext, TTransformed>(
  load: () => Promise<z.ZodType>,
): Resolver<TFieldValues, TContext, TTransformed> {
  let ready: Promise<Resolver<TFieldValues, TContext, TTransformed>> | undefined;
  return async (values, context, options) => {
    ready ??= Promise.all([load(), import("@hookform/resolvers/zod")]).then(
      ([schema, { zodResolver }]) => zodResolver(schema as never) as unknown as Resolver<TFieldValues, TContext, TTransformed>,
    );
    ready.catch(() => (ready = undefined)); // a failed fetch is retried on the next validation
    return (await ready)(values, context, options);
  };
}
