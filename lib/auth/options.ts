import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import { requestClientAddress } from "@/lib/http/forwarded";
import { textProblem } from "@/lib/validation/text";
import type { Role } from "@/lib/generated/prisma/enums";
import { authenticate, LOGIN_FAILED } from "./login";
import { closeSession, openSession, SESSION_MAX_AGE_SECONDS } from "./sessions";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string; role: Role };
    /** The server-side session (UserSession) this cookie belongs to; sign-out revokes it. */
    sid?: string;
  }
  interface User {
    role: Role;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
    sid?: string;
  }
}

/** The cookies in which next-auth keeps the last callbackUrl (plain and on https). */
export const CALLBACK_URL_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"];

/**
 * Why next-auth would refuse a callbackUrl (it answers such a request with a 500), or null: it must be a path on this site or an
 * http(s) address (next-auth's redirect callback then keeps only same-site ones), and text without control characters.
 */
export function callbackUrlProblem(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === "") return null;
  const unsafe = textProblem(value, "name");
  if (unsafe) return unsafe;
  if (value.startsWith("/")) return null;
  try {
    if (/^https?:$/.test(new URL(value).protocol)) return null;
  } catch {
    // not a URL at all
  }
  return "must be a path on this site (like /experiments) or an http(s) address";
}

/** What next-auth's error codes (the login page's ?error=, where its error page sends the browser) mean to the person signing in. */
const SIGN_IN_PROBLEMS: Record<string, string> = {
  Configuration:
    "Signing in is not working on this server right now: its sign-in settings are incomplete. Ask whoever runs Assay to check the server's log, then try again.",
  AccessDenied: "This account may not sign in. Ask an admin of Assay to check it.",
  Verification: "That sign-in link has expired or was already used. Sign in again.",
  SessionRequired: "Sign in to see that page.",
  CredentialsSignin: "Email or password is incorrect.",
};

/** The sentence the login page shows for next-auth's `?error=` code (never the code's raw text), or null without one. */
export function signInProblem(code: string | undefined): string | null {
  if (!code) return null;
  return Object.hasOwn(SIGN_IN_PROBLEMS, code) ? SIGN_IN_PROBLEMS[code] : "Signing in did not work. Try again.";
}

let cached: NextAuthOptions | undefined;

/** next-auth settings: email + password against our User table, JWT sessions carrying the user id. */
export function authOptions(): NextAuthOptions {
  cached ??= {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    // Every page next-auth would render itself (unbranded, and a 500 for its error page) is one of Assay's instead.
    pages: { signIn: "/login", signOut: "/signout", error: "/login", verifyRequest: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          try {
            return await authenticate(credentials?.email ?? "", credentials?.password ?? "", requestClientAddress(req?.headers));
          } catch (err) {
            // next-auth passes the thrown message to the login form as ?error=...
            if (err instanceof AppError) throw new Error(err.message);
            throw new Error(LOGIN_FAILED);
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = user.role;
          token.sid = await openSession(user.id);
        }
        return token;
      },
      async session({ session, token }) {
        session.user = { id: token.uid ?? "", email: token.email ?? "", name: token.name ?? "", role: token.role ?? "REVIEWER" };
        session.sid = token.sid;
        return session;
      },
    },
    events: {
      // The cookie is deleted in the browser; revoking its session makes a copy of it (or the browser's, if deletion fails) useless too.
      async signOut({ token }) {
        if (token?.sid) await closeSession(token.sid);
      },
    },
  };
  return cached;
}
