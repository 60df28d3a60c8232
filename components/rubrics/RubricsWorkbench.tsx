"use client";

import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { Card } from "@/components/ui/Card";
import type { RubricVersionView } from "@/lib/judge/rubrics";
import { RubricEditor } from "./RubricEditor";
import { RubricList } from "./RubricList";
import { RubricTryPanel } from "./RubricTryPanel";
import { draftFromVersion, emptyDraft, type RubricDraft } from "./rubricDraft";

/** The Rubrics page: the saved rubrics, one draft being written (new, or the next version of one), and "try it". */
export function RubricsWorkbench({
  versions,
  endpoints,
  canManage,
  canTry,
}: {
  versions: RubricVersionView[];
  endpoints: { name: string; defaultModel: string | null }[];
  canManage: boolean;
  canTry: boolean;
}) {
  const router = useRouter();
  const [draft, setDraft] = useState<RubricDraft>(emptyDraft);
  const editor = useRef<HTMLDivElement>(null);

  function copy(v: RubricVersionView) {
    setDraft(draftFromVersion(v));
    editor.current?.scrollIntoView({ block: "start" });
    // The name field, so a keyboard user lands where the copy went.
    requestAnimationFrame(() => document.getElementById("rubric-name")?.focus());
  }

  return (
    <div className="space-y-6">
      <Card title="Saved rubrics">
        <RubricList versions={versions} canManage={canManage} onCopy={copy} />
      </Card>
      {canManage ? (
        <div ref={editor} className="scroll-mt-20">
          <Card title={draft.basedOn ? `New version of ${draft.basedOn.name}` : "New rubric"}>
            <RubricEditor
              draft={draft}
              onChange={setDraft}
              onSaved={(v) => {
                setDraft((d) => ({ ...d, basedOn: { name: v.name, version: v.version } }));
                router.refresh();
              }}
              onReset={() => setDraft(emptyDraft())}
            />
          </Card>
        </div>
      ) : null}
      {canTry ? (
        <Card title="Try it">
          <p className="mb-4 text-sm text-slate-700">
            Paste a user&apos;s input and a model&apos;s output to see how the judge scores it. Nothing is kept.
          </p>
          <RubricTryPanel draft={draft} versions={versions} endpoints={endpoints} canUseDraft={canManage} />
        </Card>
      ) : null}
    </div>
  );
}
