"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { sendJson, type FieldErrors } from "@/components/ui/apiRequest";
import { buttonClass } from "@/components/ui/button";
import { FormField, fieldClass } from "@/components/experiments/FormField";

const MAX_COMMENT = 2000;

/** A reviewer's approval or rejection, with the comment that is kept with the decision. */
export function ReviewVerdictForm({ reviewId, recommendation }: { reviewId: string; recommendation: string }) {
  const router = useRouter();
  const [comment, setComment] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState<null | "approve" | "reject">(null);

  async function send(verdict: "approve" | "reject") {
    setBusy(verdict);
    setMessage(null);
    const res = await sendJson(`/api/v1/reviews/${encodeURIComponent(reviewId)}/${verdict}`, "POST", { comment });
    setBusy(null);
    if (!res.ok) {
      setErrors(res.fields);
      return setMessage(res.message);
    }
    setErrors({});
    router.refresh();
  }

  return (
    <form
      className="space-y-3"
      aria-label="Your decision"
      onSubmit={(e) => {
        e.preventDefault();
        void send("approve");
      }}
    >
      <FormField
        id="verdict-comment"
        label="Comment (required)"
        error={errors.comment}
        help={`Why you approve or reject “${recommendation}”. Kept with the decision; up to ${MAX_COMMENT} characters.`}
      >
        <textarea
          id="verdict-comment"
          rows={4}
          required
          maxLength={MAX_COMMENT}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          className={fieldClass(errors.comment)}
        />
      </FormField>
      {message ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {message}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={buttonClass.primary} disabled={busy !== null}>
          {busy === "approve" ? "Approving…" : `Approve: ${recommendation}`}
        </button>
        <button type="button" className={buttonClass.danger} disabled={busy !== null} onClick={() => void send("reject")}>
          {busy === "reject" ? "Rejecting…" : "Reject"}
        </button>
      </div>
    </form>
  );
}
