import { NavBar } from "@/components/NavBar";
import { countPendingForDecision } from "@/lib/approvals/service";
import { RouteFocus } from "@/components/RouteFocus";
import { requireUser } from "@/lib/auth/session";
import { canCreateClouds } from "@/lib/clouds/service";
import { asUnavailable } from "@/lib/unavailable";

// Every page here is per-user and reads the database on each request.
export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  // An outage is named to the error boundary (app/error.tsx), not shown as an anonymous failure.
  const { user, platformAdmin, pendingApprovals } = await (async () => {
    const user = await requireUser();
    // Counted once per request, capped at 100 (lib/approvals/service.ts).
    const [platformAdmin, pendingApprovals] = await Promise.all([canCreateClouds(user), countPendingForDecision(user)]);
    return { user, platformAdmin, pendingApprovals };
  })().catch((error: unknown) => {
    throw asUnavailable(error);
  });
  return (
    <>
      <a
        href="#main"
        className={
          "sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-3 focus:z-50 focus:rounded-md " +
          "focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:text-indigo-700 " +
          "focus:shadow focus:ring-2 focus:ring-indigo-600"
        }
      >
        Skip to content
      </a>
      <NavBar email={user.email} platformAdmin={platformAdmin} counts={{ "/approvals": pendingApprovals }} />
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-6 outline-none sm:px-6 sm:py-8">
        {children}
      </main>
      <RouteFocus />
    </>
  );
}
