"use client";

import { useState, useSyncExternalStore } from "react";
import { useRouter } from "next/navigation";
import { Dialog } from "@/components/ui/Dialog";
import { Badge } from "@/components/ui/Badge";
import { Time } from "@/components/ui/Time";
import { buttonClass } from "@/components/ui/button";
import type { InteractionDetail } from "@/lib/interactions/explorer";
import { significant } from "@/lib/format/number";
import { dollars, milliseconds, sourceLabels, valueOrDash } from "./interactionLabels";

const noSubscription = () => () => undefined;

const yesNo = (value: boolean | null, yes: string, no: string) => (value === null ? "not reported" : value ? yes : no);

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-slate-600">{label}</dt>
      <dd className="mt-0.5 break-words font-medium text-slate-900">{children}</dd>
    </div>
  );
}

function TextBlock({ title, text }: { title: string; text: string | null }) {
  return (
    <section className="mt-5" aria-label={title}>
      <h3 className="text-sm font-semibold text-slate-800">{title}</h3>
      {text ? (
        <p className="mt-1 whitespace-pre-wrap break-words rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-900 ring-1 ring-slate-200">
          {text}
        </p>
      ) : (
        <p className="mt-1 text-sm text-slate-600">Not logged.</p>
      )}
    </section>
  );
}

/**
 * One interaction in full, in a panel at the right edge: what was asked and answered, the measurements, custom metrics
 * and every judge score with its reasoning. Closing it goes back to the list's own address (`closeHref`).
 */
export function InteractionDrawer({ interaction, closeHref }: { interaction: InteractionDetail; closeHref: string }) {
  const router = useRouter();
  // The dialog lives in document.body, which exists only in the browser.
  const inBrowser = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const [closed, setClosed] = useState<string | null>(null);
  if (!inBrowser || closed === interaction.requestId) return null;
  const close = () => {
    setClosed(interaction.requestId);
    router.replace(closeHref, { scroll: false });
  };
  const metrics = Object.entries(interaction.metrics ?? {});
  return (
    <Dialog title={`Interaction ${interaction.requestId}`} onClose={close} variant="side">
      <div data-testid="interaction-drawer">
        <div className="flex items-start justify-between gap-3">
          <div className="flex min-w-0 flex-wrap items-center gap-2 text-sm text-slate-700">
            <Time value={interaction.timestamp} />
            <span aria-hidden>·</span>
            <span>
              variant <span className="font-mono font-medium">{interaction.variant}</span> ({interaction.variantName})
            </span>
            {interaction.safetyFlag ? <Badge tone="red">safety flag</Badge> : null}
            {interaction.error ? <Badge tone="amber">failed</Badge> : null}
          </div>
          <button type="button" className={buttonClass.secondary} onClick={close} data-autofocus>
            Close
          </button>
        </div>
        {interaction.error ? (
          <p className="mt-3 whitespace-pre-wrap break-words rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
            <span className="font-medium">The model call failed:</span> {interaction.error}
          </p>
        ) : null}
        <dl className="mt-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-3">
          <Fact label="User">{interaction.userId}</Fact>
          <Fact label="Model">{interaction.modelName ?? "—"}</Fact>
          <Fact label="Prompt version">{interaction.systemPromptVersion ?? "—"}</Fact>
          <Fact label="Latency">{milliseconds(interaction.latencyMs)}</Fact>
          <Fact label="Time to first token">{milliseconds(interaction.ttftMs)}</Fact>
          <Fact label="Tokens in / out">
            {valueOrDash(interaction.promptTokens)} / {valueOrDash(interaction.completionTokens)}
          </Fact>
          <Fact label="Cost">{dollars(interaction.costUsd)}</Fact>
          <Fact label="User feedback">{valueOrDash(interaction.userFeedbackScore)}</Fact>
          <Fact label="Goal completed">{yesNo(interaction.goalCompleted, "yes", "no")}</Fact>
          <Fact label="Safety">{yesNo(interaction.safetyFlag, "flagged", "not flagged")}</Fact>
          <Fact label="Logged through">{sourceLabels[interaction.source] ?? interaction.source}</Fact>
          <Fact label="Request id">
            <span className="break-all font-mono text-xs">{interaction.requestId}</span>
          </Fact>
        </dl>
        <TextBlock title="User input" text={interaction.userInput} />
        <TextBlock title="Model output" text={interaction.modelOutput} />
        {metrics.length ? (
          <section className="mt-5" aria-label="Custom metrics">
            <h3 className="text-sm font-semibold text-slate-800">Custom metrics</h3>
            <dl className="mt-1 grid grid-cols-2 gap-2 text-sm sm:grid-cols-3">
              {metrics.map(([name, value]) => (
                <Fact key={name} label={name}>
                  {typeof value === "number" ? significant(value) : String(value)}
                </Fact>
              ))}
            </dl>
          </section>
        ) : null}
        <section className="mt-5" aria-label="Judge scores">
          <h3 className="text-sm font-semibold text-slate-800">Judge scores</h3>
          {interaction.judgeScores.length === 0 ? (
            <p className="mt-1 text-sm text-slate-600">Not scored by the judge yet.</p>
          ) : (
            <ul className="mt-2 space-y-3">
              {interaction.judgeScores.map((s) => (
                <li key={`${s.rubric}-${s.rubricVersion}`} className="rounded-md px-3 py-2 ring-1 ring-slate-200">
                  <p className="text-xs text-slate-600">
                    Rubric {s.rubric}, version {s.rubricVersion} · scored <Time value={s.scoredAt} />
                  </p>
                  <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
                    {Object.entries(s.scores).map(([criterion, score]) => (
                      <div key={criterion} className="flex gap-1">
                        <dt className="text-slate-600">{criterion}</dt>
                        <dd className="font-medium tabular-nums">{typeof score === "number" ? significant(score) : String(score)}</dd>
                      </div>
                    ))}
                  </dl>
                  {s.reasoning ? <p className="mt-1 whitespace-pre-wrap break-words text-sm text-slate-800">{s.reasoning}</p> : null}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </Dialog>
  );
}
