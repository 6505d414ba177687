"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createContext, useContext, useState } from "react";
import { Toaster } from "sonner";
import { THEME_COOKIE, themeClass, type Theme } from "@/lib/theme/theme";

const ThemeContext = createContext<{ theme: Theme; setTheme: (theme: Theme) => void }>({ theme: "system", setTheme: () => {} });

/** The colour scheme picked in the navigation (lib/theme/theme.ts); "system" follows the OS. */
export function useTheme() {
  return useContext(ThemeContext);
}

export function Providers({ children, theme: initialTheme }: { children: React.ReactNode; theme: Theme }) {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000 } } }));
  const [theme, setThemeState] = useState<Theme>(initialTheme);
  const setTheme = (next: Theme) => {
    setThemeState(next);
    const root = document.documentElement;
    root.classList.remove("light", "dark");
    const cls = themeClass(next);
    if (cls) root.classList.add(cls);
    // Remembered for a year; the server reads it to render <html> with the right class.
    document.cookie =
      next === "system" ? `${THEME_COOKIE}=; path=/; max-age=0; samesite=lax` : `${THEME_COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
  };
  return (
    <ThemeContext.Provider value={{ theme, setTheme }}>
      <QueryClientProvider client={queryClient}>
        {children}
        {/* One live region for every notice (components/notify.ts). */}
        <Toaster position="top-right" richColors closeButton theme={theme} />
      </QueryClientProvider>
    </ThemeContext.Provider>
  );
}
