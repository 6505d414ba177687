"use client";

import { signOut } from "next-auth/react";
import { buttonClass } from "./ui";

export function SignOutButton() {
  return (
    <button type="button" className={buttonClass.ghost} onClick={() => signOut({ callbackUrl: "/login" })}>
      Sign out
    </button>
  );
}
