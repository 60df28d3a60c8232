import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { AppError } from "@/lib/errors";
import { env } from "@/lib/env";
import type { Role } from "@/lib/generated/prisma/enums";
import { authenticate, LOGIN_FAILED } from "./login";

declare module "next-auth" {
  interface Session {
    user: { id: string; email: string; name: string; role: Role };
  }
  interface User {
    role: Role;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    role?: Role;
  }
}

/**
 * The client address for the per-address sign-in limit: the last X-Forwarded-For hop, i.e. the one added by the nearest proxy
 * (or by Next.js from the socket when no proxy is in front). Earlier hops are whatever the client sent, so they are ignored.
 */
export function clientAddress(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const hops =
    typeof forwarded === "string"
      ? forwarded
          .split(",")
          .map((h) => h.trim())
          .filter(Boolean)
      : [];
  return hops.at(-1) ?? "local";
}

let cached: NextAuthOptions | undefined;

/** next-auth settings: email + password against our User table, JWT sessions carrying the user id. */
export function authOptions(): NextAuthOptions {
  cached ??= {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/login" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          try {
            return await authenticate(credentials?.email ?? "", credentials?.password ?? "", clientAddress(req?.headers));
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
        }
        return token;
      },
      async session({ session, token }) {
        session.user = { id: token.uid ?? "", email: token.email ?? "", name: token.name ?? "", role: token.role ?? "REVIEWER" };
        return session;
      },
    },
  };
  return cached;
}
