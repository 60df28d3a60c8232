/** A sweep step's name as a person reads it: "one user at a time", "many users at once", or its rate. */
export function stepWords(name: string): string {
  if (name === "synchronous") return "one user at a time";
  if (name === "throughput") return "many users at once";
  return name.replace(/\/s$/, " requests/s");
}
