// The web app's process: Assay's front door around the Next.js production server (what `next start` does, plus what only
// a server that sees the socket can do). 1. The client address: forwarded headers are believed only from
// ASSAY_TRUSTED_PROXIES, and the resolved address reaches the sign-in limit in a header a client cannot set
// (lib/http/forwarded.ts). 2. A path Next cannot decode (`%zz`) gets a clear 400 instead of Next's plain-text 500. 3. A page
// that failed because the database is unavailable answers 503 with Retry-After, not Next's 500 (lib/http/outageStatus.ts).
// 4. The data plane (assign, exposures, ingestion, the gateway: lib/dataPlane) answers its paths itself, before Next.
import http from "node:http";
import next from "next";
import { env, setEnv } from "@/lib/env";
import { API_CONTENT_SECURITY_POLICY } from "@/lib/http/contentSecurityPolicy";
import { markFrontDoor, rewriteForwardedHeaders, trustedProxies } from "@/lib/http/forwarded";
import { answerOutagesWith503 } from "@/lib/http/outageStatus";
import { createDataPlane, isDataPlanePath } from "@/lib/dataPlane/app";
import { dataPlaneRoutes } from "@/lib/dataPlane/routes";

/** True when every percent-escape in the path decodes to UTF-8 text. */
function decodablePath(url: string): boolean {
  try {
    decodeURIComponent(url.split("?", 1)[0]);
    return true;
  } catch {
    return false;
  }
}

function badPath(req: http.IncomingMessage, res: http.ServerResponse): void {
  const message = "The address has a malformed percent-escape (like %zz); percent signs in a path must be followed by two hex digits.";
  if ((req.url ?? "").startsWith("/api/")) {
    res.writeHead(400, { "content-type": "application/json", "content-security-policy": API_CONTENT_SECURITY_POLICY });
    res.end(JSON.stringify({ error: { code: "VALIDATION", message } }));
  } else {
    // A page with no script or style of its own: the API's policy fits it.
    res.writeHead(400, { "content-type": "text/html; charset=utf-8", "content-security-policy": API_CONTENT_SECURITY_POLICY });
    res.end(
      `<!doctype html><html lang="en"><title>Bad address</title><p>${message}</p><p><a href="/">Go to Assay's overview</a></p></html>`,
    );
  }
}

async function main() {
  const e = env();
  // Without a configured public URL, sign-in and sign-out redirects go back to the host the request came to (next-auth reads
  // AUTH_TRUST_HOST itself); the Host and X-Forwarded-Host it sees are the request's own or a trusted proxy's (rewritten below).
  if (!e.NEXTAUTH_URL) setEnv({ AUTH_TRUST_HOST: "true" });
  const trusted = trustedProxies(e.ASSAY_TRUSTED_PROXIES);
  markFrontDoor();

  const app = next({ dev: false, dir: process.cwd(), hostname: e.HOST, port: e.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();
  const dataPlane = await createDataPlane(dataPlaneRoutes);

  const server = http.createServer((req, res) => {
    rewriteForwardedHeaders(req.headers, req.socket.remoteAddress ?? "", trusted);
    if (!decodablePath(req.url ?? "/")) return badPath(req, res);
    if (isDataPlanePath(req.url ?? "/")) return dataPlane.handle(req, res);
    answerOutagesWith503(res, () => void handle(req, res));
  });
  // Longer than the idle timeouts of common proxies, as `next start` does, so a proxy never reuses a closed connection.
  server.keepAliveTimeout = 65_000;
  server.listen(e.PORT, e.HOST, () => console.log(`Web app listening on http://${e.HOST}:${e.PORT}`));
  const stop = () => {
    server.close(() => void dataPlane.stop().finally(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err: unknown) => {
  console.error(`The web app could not start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
