import type { Random } from "./random";

export type InjectedFault = "rate_limit" | "server_error";

/** With probability errorRate a fault, then 429 rate_limit or 500 server_error with equal odds; draws two numbers when it fails, one otherwise. */
export function drawInjectedFault(random: Random, errorRate: number): InjectedFault | undefined {
  if (errorRate <= 0 || random() >= errorRate) return undefined;
  return random() < 0.5 ? "rate_limit" : "server_error";
}

/** With probability stallRate the request stalls: a separate stream of draws, so a seed's other faults are unchanged. */
export function drawStall(random: Random, stallRate: number): boolean {
  return stallRate > 0 && random() < stallRate;
}
