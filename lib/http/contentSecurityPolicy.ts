// The Content-Security-Policy of Assay's pages and API answers. A page's scripts run only with that response's nonce
// (Next.js reads it from the request's policy header, set in proxy.ts, and puts it on its own inline and bundled scripts;
// 'strict-dynamic' lets those load the chunks they import), so markup injected into a page could not run script. No
// 'unsafe-eval' (zod runs jitless in the browser: instrumentation-client.ts) and no wildcard: nothing loads from another
// origin. Styles may be inline (React and the charts write style attributes, Next.js's own error pages <style> elements
// without a nonce); a style cannot run script.

/** A fresh nonce for one response: 128 random bits, base64. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/** The policy for a page answered with this nonce; `development` adds 'unsafe-eval', which `next dev` needs for its tooling. */
export function pageContentSecurityPolicy(nonce: string, development = false): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The policy for API answers (JSON, Markdown downloads): nothing in them may load or run anything, and no page may frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox";
