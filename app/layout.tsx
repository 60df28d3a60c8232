import type { Metadata } from "next";
import { connection } from "next/server";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Assay", template: "%s · Assay" },
  description: "A/B experiments for LLM applications, end to end",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page is rendered per request, never prerendered: only then can its scripts carry the request's CSP nonce (proxy.ts).
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
