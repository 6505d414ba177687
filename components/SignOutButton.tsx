"use client";

import { signOutAndLeave } from "./auth-client";
import { buttonClass } from "./controls";

export function SignOutButton() {
  return (
    <button type="button" className={buttonClass.ghost} onClick={() => void signOutAndLeave("/login")}>
      Sign out
    </button>
  );
}
