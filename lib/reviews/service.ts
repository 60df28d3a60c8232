// Deploy decisions for the reviewer's queue: pending first, then the ones already made.
import { listDecisions } from "@/lib/db/decisions";

/** The reviewer's queue: decisions with their experiment and who asked / answered, pending first, newest next. */
export function reviewQueue() {
  return listDecisions();
}
