"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { sendJson, type FieldErrors } from "@/components/ui/apiRequest";
import { buttonClass } from "@/components/ui/button";
import { FormField, fieldClass } from "@/components/experiments/FormField";

const MAX_NOTE = 2000;

/** "Request review" (PM, ADMIN, a stopped experiment): propose a variant to ship; the results and matrix are frozen as they are now. */
export function RequestReviewForm({
  experimentKey,
  variants,
  proposal,
}: {
  experimentKey: string;
  variants: { key: string; label: string }[];
  /** The variant the rules would ship, else the control. */
  proposal: string;
}) {
  const router = useRouter();
  const [variant, setVariant] = useState(proposal);
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    const res = await sendJson(`/api/v1/experiments/${encodeURIComponent(experimentKey)}/reviews`, "POST", {
      variant,
      ...(note.trim() ? { note } : {}),
    });
    setBusy(false);
    if (!res.ok) {
      setErrors(res.fields);
      return setMessage(res.message);
    }
    router.refresh();
  }

  return (
    <form onSubmit={submit} className="space-y-3" aria-label="Request review">
      <FormField id="review-variant" label="Proposed decision" error={errors.variant}>
        <select
          id="review-variant"
          value={variant}
          onChange={(e) => setVariant(e.target.value)}
          className={fieldClass(errors.variant, "", "w-full sm:w-96")}
        >
          {variants.map((v) => (
            <option key={v.key} value={v.key}>
              {v.label}
            </option>
          ))}
        </select>
      </FormField>
      <FormField id="review-note" label="Note for the reviewer (optional)" error={errors.note} help={`Up to ${MAX_NOTE} characters.`}>
        <textarea
          id="review-note"
          rows={3}
          maxLength={MAX_NOTE}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          className={fieldClass(errors.note)}
        />
      </FormField>
      {message ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {message}
        </p>
      ) : null}
      <button type="submit" className={buttonClass.primary} disabled={busy}>
        {busy ? "Requesting…" : "Request review"}
      </button>
      <p className="text-xs text-slate-600">
        The results and the matrix are kept exactly as they are now; data that arrives later does not change what the reviewer decides on.
      </p>
    </form>
  );
}
