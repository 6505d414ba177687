"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { Toaster } from "sonner";

export function Providers({ children }: { children: React.ReactNode }) {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000 } } }));
  return (
    <QueryClientProvider client={queryClient}>
      {children}
      {/* One live region for every notice (components/notify.ts). */}
      <Toaster position="top-right" richColors closeButton />
    </QueryClientProvider>
  );
}
