import { NavBar } from "@/components/NavBar";
import { requireUser } from "@/lib/auth/session";
import { canCreateClouds } from "@/lib/clouds/service";

// Every page here is per-user and reads the database on each request.
export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  return (
    <>
      <NavBar user={user} platformAdmin={await canCreateClouds(user)} />
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </>
  );
}
