"use client";

import { useEffect, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { Badge, type BadgeTone } from "@/components/ui/Badge";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { Field } from "@/components/ui/Field";
import { sendJson } from "@/components/ui/apiRequest";
import { Time } from "@/components/ui/Time";
import type { DeliveryView, WebhookView } from "@/lib/webhooks/service";

const STATUS: Record<DeliveryView["status"], [string, BadgeTone]> = {
  PENDING: ["Sending", "blue"],
  DELIVERED: ["Delivered", "green"],
  FAILED: ["Failed", "red"],
};

const EVENT_WORDS: Record<string, string> = {
  "ramp.advance": "Ramp advanced",
  "ramp.rollback": "Ramp rolled back",
  "ramp.hold": "Ramp held",
  "ramp.resume": "Ramp resumed",
  "experiment.shipped": "Winner shipped",
  "webhook.test": "Test",
};

type State = { webhook: WebhookView | null; deliveries: DeliveryView[] };

/** Where the experiment's ramp moves and shipping are announced: the URL, the signing secret (shown once), a test, and what was sent. */
export function WebhookPanel({ experiment, initial }: { experiment: string; initial: State }) {
  const base = `/api/v1/experiments/${encodeURIComponent(experiment)}/webhook`;
  const [state, setState] = useState<State>(initial);
  const [url, setUrl] = useState(initial.webhook?.url ?? "");
  const [urlError, setUrlError] = useState<string | undefined>();
  const [secret, setSecret] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<"rotate" | "remove" | null>(null);

  async function reload() {
    const res = await sendJson(base, "GET");
    if (res.ok) setState(res.data as State);
  }
  // While a delivery is on its way, look again every 2 s.
  const sending = state.deliveries.some((d) => d.status === "PENDING");
  useEffect(() => {
    if (!sending) return;
    const t = setInterval(() => void reload(), 2000);
    return () => clearInterval(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sending]);

  async function act(method: string, path: string, body?: unknown) {
    setBusy(true);
    setMessage(null);
    setUrlError(undefined);
    const res = await sendJson(`${base}${path}`, method, body);
    setBusy(false);
    setConfirm(null);
    if (!res.ok) {
      if (res.fields.url) setUrlError(res.fields.url);
      else setMessage(res.message);
      return false;
    }
    const data = res.data as { secret?: string | null };
    if (data.secret) setSecret(data.secret);
    await reload();
    return true;
  }

  return (
    <section
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
      aria-labelledby="webhook-title"
      data-testid="webhook-panel"
    >
      <h2 id="webhook-title" className="text-sm font-semibold uppercase tracking-wide text-slate-700">
        Notifications
      </h2>
      <p className="text-sm text-slate-700">
        Assay sends each ramp move (advance, hold, resume, roll back, by a person or by the automatic check) and the shipping of a winner to
        this address as a signed POST, so your team hears of it where it works.
      </p>
      <form
        className="flex flex-col gap-3 sm:flex-row sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          void act("PUT", "", { url: url.trim() });
        }}
      >
        <div className="min-w-0 flex-1">
          <Field
            id="webhook-url"
            label="Webhook address"
            value={url}
            onChange={setUrl}
            numeric={false}
            placeholder="https://hooks.example.com/assay"
            error={urlError}
          />
        </div>
        <button type="submit" className={buttonClass.primary} disabled={busy || !url.trim()}>
          {state.webhook ? "Save the address" : "Set the webhook"}
        </button>
      </form>
      {secret ? (
        <div
          role="status"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-slate-900"
          data-testid="webhook-secret"
        >
          <p className="font-medium">Signing secret: copy it now, it is not shown again.</p>
          <code className="mt-1 block break-all font-mono text-xs">{secret}</code>
        </div>
      ) : null}
      {state.webhook ? (
        <div className="space-y-3">
          <p className="text-sm text-slate-700">
            Signed with the secret ending in <span className="font-mono">…{state.webhook.secretHint}</span>. Check the{" "}
            <span className="font-mono">X-Assay-Signature</span> header (<span className="font-mono">t=…,v1=…</span>): v1 is the
            HMAC-SHA-256, in hex, of <span className="font-mono">t</span>, a dot and the exact body, under the secret; refuse a request
            whose t is more than 5 minutes old.
          </p>
          <div className="flex flex-wrap gap-2">
            <button type="button" className={buttonClass.secondary} disabled={busy} onClick={() => void act("POST", "/test", {})}>
              Send a test
            </button>
            <button type="button" className={buttonClass.secondary} disabled={busy} onClick={() => setConfirm("rotate")}>
              New signing secret
            </button>
            <button type="button" className={buttonClass.danger} disabled={busy} onClick={() => setConfirm("remove")}>
              Remove
            </button>
          </div>
        </div>
      ) : null}
      {message ? (
        <p role="alert" className="text-sm text-rose-700">
          {message}
        </p>
      ) : null}
      {state.deliveries.length ? (
        <div>
          <h3 className="text-sm font-medium text-slate-900">Sent lately</h3>
          <ul className="mt-2 divide-y divide-slate-100 text-sm" data-testid="webhook-deliveries">
            {state.deliveries.map((d) => (
              <li key={d.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
                <Badge tone={STATUS[d.status][1]}>{STATUS[d.status][0]}</Badge>
                <span className="font-medium text-slate-900">{EVENT_WORDS[d.event] ?? d.event}</span>
                <span className="text-slate-600">
                  <Time value={d.createdAt} />
                </span>
                <span className="text-slate-700">
                  {d.responseStatus !== null ? `answer ${d.responseStatus}` : null}
                  {d.attempts > 1 ? `${d.responseStatus !== null ? ", " : ""}${d.attempts} attempts` : null}
                  {d.lastError && d.status !== "DELIVERED" ? ` · ${d.lastError}` : null}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {confirm ? (
        <ConfirmDialog
          title={confirm === "rotate" ? "Make a new signing secret?" : "Remove the webhook?"}
          confirmLabel={confirm === "rotate" ? "Make a new secret" : "Remove"}
          danger={confirm === "remove"}
          busy={busy}
          error={message}
          onCancel={() => setConfirm(null)}
          onConfirm={() =>
            void (confirm === "rotate"
              ? act("PUT", "", { url: state.webhook!.url, rotateSecret: true })
              : act("DELETE", "").then((ok) => {
                  if (ok) {
                    setUrl("");
                    setSecret(null);
                  }
                }))
          }
        >
          <p>
            {confirm === "rotate"
              ? "The current secret stops working at once: receivers that check signatures refuse announcements until they have the new one."
              : "Nothing is announced from then on. What was sent stays listed."}
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
