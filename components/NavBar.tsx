import Link from "next/link";
import type { SessionUser } from "@/lib/auth/session";
import { SignOutButton } from "./SignOutButton";

export function NavBar(props: { user: SessionUser; platformAdmin: boolean }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-14 max-w-6xl items-center justify-between px-6">
        <div className="flex items-center gap-8">
          <Link href="/clouds" className="text-sm font-bold tracking-tight text-indigo-700">
            plexsphere
          </Link>
          <nav className="flex gap-4 text-sm">
            <Link href="/clouds" className="text-slate-700 hover:text-slate-950">
              Clouds
            </Link>
            <Link href="/projects" className="text-slate-700 hover:text-slate-950">
              Projects
            </Link>
            <Link href="/approvals" className="text-slate-700 hover:text-slate-950">
              Approvals
            </Link>
            <Link href="/credentials/expiring" className="text-slate-700 hover:text-slate-950">
              Expiring soon
            </Link>
            {props.platformAdmin && (
              <Link href="/audit" className="text-slate-700 hover:text-slate-950">
                Audit
              </Link>
            )}
            <Link href="/settings/tokens" className="text-slate-700 hover:text-slate-950">
              API tokens
            </Link>
            {props.platformAdmin && (
              <Link href="/settings/identity-providers" className="text-slate-700 hover:text-slate-950">
                Identity providers
              </Link>
            )}
          </nav>
        </div>
        <div className="flex items-center gap-3 text-sm text-slate-600">
          <span data-testid="signed-in-as">{props.user.email}</span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
