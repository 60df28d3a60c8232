"use client";

import { useState } from "react";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { buttonClass, inputClass, labelClass } from "@/components/ui/button";

/** The callback as a path on this site, or "/": a crafted callbackUrl (//evil, /\\evil, https://evil) cannot send the user elsewhere. */
function sameSitePath(callbackUrl: string): string {
  try {
    const target = new URL(callbackUrl, window.location.origin);
    return target.origin === window.location.origin ? `${target.pathname}${target.search}${target.hash}` : "/";
  } catch {
    return "/";
  }
}

export function LoginForm({ callbackUrl, demoUsers }: { callbackUrl: string; demoUsers: { email: string; role: string }[] | null }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setPending(true);
    setError(null);
    const res = await signIn("credentials", { email, password, redirect: false }).catch(() => null);
    setPending(false);
    if (res === null) {
      setError("Could not reach Assay. Check your connection and try again.");
      return;
    }
    if (!res || res.error) {
      setError(res?.error && res.error !== "CredentialsSignin" ? res.error : "Email or password is incorrect.");
      return;
    }
    router.push(sameSitePath(callbackUrl));
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <div>
        <label htmlFor="email" className={labelClass}>
          Email
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          className={`mt-1 ${inputClass}`}
        />
      </div>
      <div>
        <label htmlFor="password" className={labelClass}>
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          className={`mt-1 ${inputClass}`}
        />
      </div>
      {error ? (
        <p role="alert" data-testid="login-error" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={pending} className={`${buttonClass.primary} w-full`}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
      {demoUsers ? (
        <div className="rounded-md bg-slate-50 p-3 text-xs text-slate-600">
          <p className="font-medium text-slate-700">Demo accounts (password in the README):</p>
          <ul className="mt-1 space-y-0.5">
            {demoUsers.map((u) => (
              <li key={u.email}>
                <button type="button" className="font-mono text-brand-700 hover:underline" onClick={() => setEmail(u.email)}>
                  {u.email}
                </button>{" "}
                · {u.role}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
}
