import { NavBar } from "@/components/NavBar";
import { countPendingForDecision } from "@/lib/assignments/service";
import { requireUser } from "@/lib/auth/session";
import { canCreateClouds } from "@/lib/clouds/service";
import { asUnavailable } from "@/lib/unavailable";

// Every page here is per-user and reads the database on each request.
export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  // An outage is named to the error boundary (app/error.tsx), not shown as an anonymous failure.
  const { user, platformAdmin, pendingApprovals } = await (async () => {
    const user = await requireUser();
    // Counted once per request, capped at 100 (lib/assignments/service.ts).
    const [platformAdmin, pendingApprovals] = await Promise.all([canCreateClouds(user), countPendingForDecision(user)]);
    return { user, platformAdmin, pendingApprovals };
  })().catch((error: unknown) => {
    throw asUnavailable(error);
  });
  return (
    <>
      <NavBar user={user} platformAdmin={platformAdmin} pendingApprovals={pendingApprovals} />
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </>
  );
}
