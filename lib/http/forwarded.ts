// Who is on the other end of a request, and which forwarded headers to believe. Next.js keeps any X-Forwarded-For a client
// sends (it only fills the header in when it is missing: `x-forwarded-for ??= socket.remoteAddress` in next/dist/server/
// base-server.js), so the socket address is lost by the time a route handler runs. Assay's own front door (lib/runtime/
// webServer.ts) sees the socket: it decides here what the request's client address is and rewrites the headers before Next.
import net from "node:net";

/** The proxies whose forwarded headers are believed (ASSAY_TRUSTED_PROXIES): addresses and CIDR ranges, IPv4 and IPv6. */
export interface TrustedProxies {
  has(address: string): boolean;
  readonly entries: readonly string[];
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) as `10.0.0.1`; other addresses unchanged. */
export function normaliseAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/** Why one ASSAY_TRUSTED_PROXIES entry is not an address or a CIDR range, or null when it is. */
export function trustedProxyEntryProblem(entry: string): string | null {
  const [address, prefix, extra] = entry.split("/");
  const family = net.isIP(address);
  if (!family || extra !== undefined) return `"${entry}" is not an IP address or a CIDR range (like 10.0.0.0/8 or fd00::/8)`;
  if (prefix !== undefined) {
    const bits = Number(prefix);
    const max = family === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(prefix) || bits > max) return `"${entry}" has a prefix length outside 0-${max}`;
  }
  return null;
}

/** A set of trusted proxies from entries already checked by trustedProxyEntryProblem (node:net's BlockList does the matching). */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new net.BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split("/");
    const type = net.isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  // Every request asks about its peer, and BlockList.check builds a SocketAddress each time: the answers for the few
  // addresses a server sees are remembered (at most 4,096, then started afresh).
  const answers = new Map<string, boolean>();
  return {
    entries,
    has(address) {
      const known = answers.get(address);
      if (known !== undefined) return known;
      const a = normaliseAddress(address);
      const family = net.isIP(a);
      const answer = family !== 0 && list.check(a, family === 6 ? "ipv6" : "ipv4");
      if (answers.size >= 4_096) answers.clear();
      answers.set(address, answer);
      return answer;
    },
  };
}

/** The hops of an X-Forwarded-For value, nearest last; addresses only (a hop that is not an IP address ends the list). */
function forwardedHops(header: string | string[] | undefined): string[] {
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  return value
    .split(",")
    .map((h) => normaliseAddress(h.trim()))
    .filter(Boolean);
}

/**
 * The client address of a request: the socket peer, unless the peer is a trusted proxy; then, walking X-Forwarded-For from
 * the nearest hop back, the first address that is not a trusted proxy (a hop that is not an address stops the walk at the
 * last trusted one). Nothing a client writes in the header counts unless a trusted proxy put it there.
 */
export function resolveClientAddress(peer: string, forwardedFor: string | string[] | undefined, trusted: TrustedProxies): string {
  let client = normaliseAddress(peer);
  if (!trusted.has(client)) return client;
  for (const hop of forwardedHops(forwardedFor).reverse()) {
    if (!net.isIP(hop)) break;
    client = hop;
    if (!trusted.has(hop)) break;
  }
  return client;
}

/** The headers a client may have forged that describe where the request came from; only a trusted proxy may set them. */
export const FORWARDED_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip", "forwarded"];

/** The header the front door sets to the resolved client address (any value a client sends is replaced). */
export const CLIENT_ADDRESS_HEADER = "x-assay-client-address";

/**
 * Rewrites a request's headers in place for Next: the client address in CLIENT_ADDRESS_HEADER; from a peer that is not a
 * trusted proxy, every forwarded header dropped (Next then fills them in from the socket and the Host header).
 */
export function rewriteForwardedHeaders(
  headers: Record<string, string | string[] | undefined>,
  peer: string,
  trusted: TrustedProxies,
): string {
  const client = resolveClientAddress(peer, headers["x-forwarded-for"], trusted);
  if (!trusted.has(peer)) for (const name of FORWARDED_HEADERS) delete headers[name];
  headers[CLIENT_ADDRESS_HEADER] = client;
  return client;
}

const FRONT_DOOR = Symbol.for("assay.frontDoor");

/** Marks this process as served through Assay's front door, which sets CLIENT_ADDRESS_HEADER on every request. */
export function markFrontDoor(): void {
  (globalThis as Record<symbol, unknown>)[FRONT_DOOR] = true;
}

/**
 * The client address of a request as the route code sees it: CLIENT_ADDRESS_HEADER when this process runs behind Assay's
 * front door (which overwrites it on every request), else "unknown": without the front door (`next dev`, a bare `next start`)
 * no header can be told apart from one a client forged.
 */
export function requestClientAddress(headers: Record<string, unknown> | undefined): string {
  const value = headers?.[CLIENT_ADDRESS_HEADER];
  if ((globalThis as Record<symbol, unknown>)[FRONT_DOOR] !== true || typeof value !== "string" || !net.isIP(value)) return "unknown";
  return value;
}
