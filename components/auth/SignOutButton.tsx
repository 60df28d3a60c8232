"use client";

import { useState } from "react";
import { signOut } from "next-auth/react";
import { buttonClass } from "@/components/ui/button";

/** Signs out (ending the session on the server too) and goes to the login page. */
export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signOut({ callbackUrl: "/login" });
      }}
      className={`${buttonClass.primary} w-full`}
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
