"use client";

import { Suspense, createContext, lazy, useContext, useState, type ComponentType } from "react";
import type { ToasterProps } from "sonner";
import { useHydrated } from "@/components/useHydrated";
import { THEME_COOKIE, themeClass, type Theme } from "@/lib/theme/theme";

// One live region for every notice (components/notify.ts), fetched once the page has hydrated:
// a notice follows something the person did, never the first paint, so sonner is in no page's first load.
// Offline, there is no toaster (notify.ts drops the notices); the pages show outcomes themselves.
const Toaster = lazy<ComponentType<ToasterProps>>(() =>
  import("sonner").then(
    (m) => ({ default: m.Toaster }),
    () => ({ default: () => null }),
  ),
);

const ThemeContext = createContext<{ theme: Theme; setTheme: (theme: Theme) => void }>({ theme: "system", setTheme: () => {} });

/** The colour scheme picked in the navigation (lib/theme/theme.ts); "system" follows the OS. */
export function useTheme() {
  return useContext(ThemeContext);
}

/** Root client context: the colour scheme and the toaster. react-query is mounted only where it is used (components/QueryProvider.tsx). */
export function Providers({ children, theme: initialTheme }: { children: React.ReactNode; theme: Theme }) {
  const [theme, setThemeState] = useState<Theme>(initialTheme);
  const hydrated = useHydrated();
  const setTheme = (next: Theme) => {
    setThemeState(next);
    const root = document.documentElement;
    root.classList.remove("light", "dark");
    const cls = themeClass(next);
    if (cls) root.classList.add(cls);
    // Remembered for a year; the server reads it to render <html> with the right class.
    document.cookie =
      next === "system"
        ? `${THEME_COOKIE}=; path=/; max-age=0; samesite=lax`
        : `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
  };
  return (
    <ThemeContext.Provider value={{ theme, setTheme }}>
      {children}
      {hydrated && (
        <Suspense fallback={null}>
          <Toaster position="top-right" richColors closeButton theme={theme} />
        </Suspense>
      )}
    </ThemeContext.Provider>
  );
}
