import type { Metadata } from "next";
import { headers } from "next/headers";
import { Card, EmptyState, PageHeader } from "@/components/ui";
import { requireUser } from "@/lib/auth/session";
import { authorizePlatform } from "@/lib/authz/service";
import { loadOr404 } from "@/lib/pages";
import { env } from "@/lib/env";
import { claimMappingsOf, jitPolicyOf, listBindings } from "@/lib/sso/bindings";
import { BindingRow, NewBindingForm, type BindingView } from "./IdentityProviderForms";

export const metadata: Metadata = { title: "Identity providers" };

/** Settings → Identity providers: OpenID Connect providers people sign in through (platform admins). */
export default async function IdentityProvidersPage() {
  const admin = await loadOr404(authorizePlatform(await requireUser()));
  const bindings = await listBindings(admin);
  const request = await headers();
  const origin = env().publicUrl ?? `http://${request.get("host") ?? "localhost"}`;
  const views: BindingView[] = bindings.map((b) => {
    const jit = jitPolicyOf(b);
    const mappings = claimMappingsOf(b);
    return {
      id: b.id,
      alias: b.alias,
      issuer: b.issuer,
      clientId: b.clientId,
      scopes: b.scopes.join(" "),
      emailClaim: mappings.email,
      nameClaim: mappings.name,
      groupsClaim: mappings.groups,
      jitMode: jit.mode,
      jitDomains: jit.mode === "domains" ? jit.domains.join(", ") : "",
      active: b.status === "active",
      callbackUrl: `${origin.replace(/\/+$/, "")}/api/auth/callback/${b.alias}`,
    };
  });
  return (
    <>
      <PageHeader
        title="Identity providers"
        subtitle="OpenID Connect providers people sign in through. Each active one is offered on the sign-in page as “Continue with …”."
      />
      <div className="max-w-4xl space-y-6">
        <Card title="Configured providers">
          {views.length === 0 ? (
            <EmptyState>No identity provider yet. Add one below.</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-200">
              {views.map((view) => (
                <BindingRow key={view.id} binding={view} />
              ))}
            </ul>
          )}
        </Card>
        <Card title="Add a provider">
          <NewBindingForm />
        </Card>
      </div>
    </>
  );
}
