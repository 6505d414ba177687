import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/session";
import { LoginForm } from "./LoginForm";

export const metadata: Metadata = { title: "Sign in" };

/**
 * Only a path on this console. Browsers drop tabs and newlines and read `\\`
 * as `/`, so `/%09/evil.example` or `/\\host` would leave it: resolve the
 * value as a URL and keep it only if it stays on our origin.
 */
function safeNext(value: string | string[] | undefined): string {
  const fallback = "/clouds";
  if (typeof value !== "string" || !value.startsWith("/") || /[\u0000-\u0020\u007f\\]/.test(value)) return fallback;
  const base = "http://console.invalid";
  const url = new URL(value, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : fallback;
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await currentUser()) redirect(next);
  return (
    <main className="flex min-h-screen items-center justify-center px-6">
      <div className="w-full max-w-sm">
        <h1 className="text-center text-2xl font-semibold tracking-tight">Sign in to plexsphere</h1>
        <p className="mt-1 text-center text-sm text-slate-600">Clouds and the credentials that pay for them.</p>
        <div className="mt-8 rounded-lg bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <LoginForm next={next} />
        </div>
      </div>
    </main>
  );
}
