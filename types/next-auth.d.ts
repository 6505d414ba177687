import type { DefaultSession } from "next-auth";

// What our next-auth callbacks (lib/auth/options.ts) put in the session and its JWT, so no caller casts.
declare module "next-auth" {
  interface Session {
    user?: DefaultSession["user"] & {
      /** Our user's id (the JWT's `sub`), not an IdP's subject. */
      id?: string;
    };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The `sessions` row this cookie stands for (lib/auth/sessions.ts); every later read checks it is still live. */
    sid?: string;
  }
}
