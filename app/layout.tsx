import type { Metadata } from "next";
import { cookies } from "next/headers";
import { connection } from "next/server";
import localFont from "next/font/local";
import { THEME_COOKIE, parseTheme, themeClass } from "@/lib/theme/theme";
import { Providers } from "./providers";
import "./globals.css";

const inter = localFont({
  src: "../node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
  variable: "--font-inter",
  display: "swap",
});

export const metadata: Metadata = {
  title: { default: "plexsphere console", template: "%s · plexsphere" },
  description: "Clouds and the Cloud Credentials that pay for provisioning.",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request: its scripts carry that response's CSP nonce (proxy.ts).
  await connection();
  // The remembered scheme goes on <html> in the server's answer, so the first paint already has it.
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <html lang="en" className={[inter.variable, themeClass(theme)].filter(Boolean).join(" ")}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <Providers theme={theme}>{children}</Providers>
      </body>
    </html>
  );
}
