"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";

/**
 * react-query for the components that use it (the live assignment states,
 * the New Cloud form), mounted around them rather than around every page,
 * so pages without it do not load it.
 */
export function QueryProvider({ children }: { children: React.ReactNode }) {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000 } } }));
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
