"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { Dialog } from "@/components/ui/Dialog";
import { EmptyState } from "@/components/ui/EmptyState";
import { TableScroll } from "@/components/ui/TableScroll";
import { stackedTable } from "@/components/ui/stackedTable";
import { Time } from "@/components/ui/Time";
import { sendJson, type FieldErrors } from "@/components/ui/apiRequest";
import { FormField, fieldClass } from "@/components/experiments/FormField";

interface EndpointRow {
  id: string;
  name: string;
  baseUrl: string;
  defaultModel: string | null;
  apiKeySet: boolean;
  updatedAt: string;
}

interface EndpointDraft {
  name: string;
  baseUrl: string;
  apiKey: string;
  defaultModel: string;
}

const EMPTY: EndpointDraft = { name: "", baseUrl: "", apiKey: "", defaultModel: "" };

/** Name, base URL, API key (a password field: what is typed is never shown, and never filled back in) and default model. */
function EndpointFields({
  idPrefix,
  draft,
  onChange,
  fields,
  keyHelp,
  columns = 2,
}: {
  idPrefix: string;
  draft: EndpointDraft;
  onChange: (next: EndpointDraft) => void;
  fields: FieldErrors;
  keyHelp: string;
  /** Two side by side from medium widths on (the page), or one (the narrow edit dialog). */
  columns?: 1 | 2;
}) {
  const id = (f: string) => `${idPrefix}-${f}`;
  return (
    <div className={`grid gap-3 ${columns === 2 ? "md:grid-cols-2" : ""}`}>
      <FormField id={id("name")} label="Name" error={fields.name}>
        <input
          id={id("name")}
          className={fieldClass(fields.name)}
          placeholder="e.g. vllm-prod"
          value={draft.name}
          onChange={(e) => onChange({ ...draft, name: e.target.value })}
        />
      </FormField>
      <FormField
        id={id("base-url")}
        label="Base URL"
        help="OpenAI-compatible, up to /v1: Assay calls …/chat/completions."
        error={fields.baseUrl}
      >
        <input
          id={id("base-url")}
          type="url"
          inputMode="url"
          className={fieldClass(fields.baseUrl, "font-mono")}
          placeholder="e.g. http://vllm:8000/v1"
          value={draft.baseUrl}
          onChange={(e) => onChange({ ...draft, baseUrl: e.target.value })}
        />
      </FormField>
      <FormField id={id("api-key")} label="API key (optional)" help={keyHelp} error={fields.apiKey}>
        <input
          id={id("api-key")}
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          className={fieldClass(fields.apiKey, "font-mono")}
          value={draft.apiKey}
          onChange={(e) => onChange({ ...draft, apiKey: e.target.value })}
        />
      </FormField>
      <FormField
        id={id("default-model")}
        label="Default model (optional)"
        help="Used when a variant names no model."
        error={fields.defaultModel}
      >
        <input
          id={id("default-model")}
          className={fieldClass(fields.defaultModel)}
          placeholder="e.g. Llama-4-Scout-17B-16E-Instruct-FP8"
          value={draft.defaultModel}
          onChange={(e) => onChange({ ...draft, defaultModel: e.target.value })}
        />
      </FormField>
    </div>
  );
}

/** Changes one endpoint: what is typed replaces what is stored; an empty key field keeps the stored key. */
function EditEndpoint({ endpoint, onDone, onCancel }: { endpoint: EndpointRow; onDone: (message: string) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<EndpointDraft>({
    name: endpoint.name,
    baseUrl: endpoint.baseUrl,
    apiKey: "",
    defaultModel: endpoint.defaultModel ?? "",
  });
  const [removeKey, setRemoveKey] = useState(false);
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    const change: Record<string, unknown> = {};
    if (draft.name.trim() !== endpoint.name) change.name = draft.name;
    if (draft.baseUrl.trim() !== endpoint.baseUrl) change.baseUrl = draft.baseUrl.trim();
    if (draft.defaultModel.trim() !== (endpoint.defaultModel ?? "")) change.defaultModel = draft.defaultModel.trim() || null;
    if (removeKey) change.apiKey = null;
    else if (draft.apiKey !== "") change.apiKey = draft.apiKey;
    if (Object.keys(change).length === 0) return onCancel();
    setBusy(true);
    setError(null);
    setFields({});
    const res = await sendJson(`/api/v1/endpoints/${endpoint.id}`, "PATCH", change);
    setBusy(false);
    if (!res.ok) {
      setFields(res.fields);
      return setError(Object.keys(res.fields).length ? null : res.message);
    }
    setDraft((d) => ({ ...d, apiKey: "" }));
    onDone(`Saved endpoint “${(res.data as { endpoint: { name: string } }).endpoint.name}”.`);
  }

  return (
    <Dialog title={`Edit “${endpoint.name}”`} onClose={onCancel}>
      <form onSubmit={save} noValidate className="space-y-4">
        <EndpointFields
          idPrefix="edit-endpoint"
          columns={1}
          draft={draft}
          onChange={setDraft}
          fields={fields}
          keyHelp={endpoint.apiKeySet ? "A key is set. Leave this empty to keep it, or type a new one to replace it." : "No key is set."}
        />
        {endpoint.apiKeySet ? (
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={removeKey} onChange={(e) => setRemoveKey(e.target.checked)} />
            Remove the stored key (the endpoint is then called without one)
          </label>
        ) : null}
        {error ? (
          <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
            {error}
          </p>
        ) : null}
        <div className="flex justify-end gap-2">
          <button type="button" className={buttonClass.secondary} onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className={buttonClass.primary} disabled={busy}>
            {busy ? "Saving…" : "Save endpoint"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function EndpointsManager({ endpoints, canManage }: { endpoints: EndpointRow[]; canManage: boolean }) {
  const router = useRouter();
  const [draft, setDraft] = useState<EndpointDraft>(EMPTY);
  const [fields, setFields] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const [editing, setEditing] = useState<EndpointRow | null>(null);
  const [deleting, setDeleting] = useState<EndpointRow | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setFields({});
    setStatus("");
    const body: Record<string, unknown> = { name: draft.name, baseUrl: draft.baseUrl.trim() };
    if (draft.apiKey !== "") body.apiKey = draft.apiKey;
    if (draft.defaultModel.trim() !== "") body.defaultModel = draft.defaultModel.trim();
    setBusy(true);
    const res = await sendJson("/api/v1/endpoints", "POST", body);
    setBusy(false);
    if (!res.ok) {
      setFields(res.fields);
      return setError(Object.keys(res.fields).length ? null : res.message);
    }
    // The key leaves the page's memory as soon as it is stored.
    setDraft(EMPTY);
    setStatus(`Added endpoint “${(res.data as { endpoint: { name: string } }).endpoint.name}”.`);
    router.refresh();
  }

  async function remove(endpoint: EndpointRow) {
    setBusy(true);
    setDeleteError(null);
    const res = await sendJson(`/api/v1/endpoints/${endpoint.id}`, "DELETE");
    setBusy(false);
    if (!res.ok) return setDeleteError(res.message);
    setDeleting(null);
    setStatus(`Deleted endpoint “${endpoint.name}”.`);
    router.refresh();
  }

  return (
    <div className="space-y-6">
      {/* Always there, so a screen reader hears each new message; takes no room while empty. */}
      <p role="status" className={status ? "text-sm font-medium text-emerald-700" : "sr-only"}>
        {status}
      </p>
      {canManage ? (
        <Card title="Add an endpoint">
          <form onSubmit={create} noValidate className="space-y-4">
            <EndpointFields
              idPrefix="new-endpoint"
              draft={draft}
              onChange={setDraft}
              fields={fields}
              keyHelp="Sent to this endpoint as its bearer token. Stored encrypted; never shown again."
            />
            {error ? (
              <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
                {error}
              </p>
            ) : null}
            <button type="submit" className={buttonClass.primary} disabled={busy}>
              Add endpoint
            </button>
          </form>
        </Card>
      ) : (
        <p className="text-sm text-slate-600">Engineers and admins add and change endpoints; you can point variants at these.</p>
      )}
      {endpoints.length === 0 ? (
        <EmptyState title="No endpoints yet">
          {canManage ? "Add one above, then point a variant at it." : "An engineer adds them here."}
        </EmptyState>
      ) : (
        <Card>
          <TableScroll label="Endpoints table">
            <table className={stackedTable.table} data-testid="endpoints-table">
              <thead className={stackedTable.thead}>
                <tr>
                  <th className="py-2 pr-3">Name</th>
                  <th className="pr-3">Base URL</th>
                  <th className="pr-3">Default model</th>
                  <th className="pr-3">API key</th>
                  <th className="pr-3">Changed</th>
                  {canManage ? (
                    <th>
                      <span className="sr-only">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody className={stackedTable.tbody}>
                {endpoints.map((e) => (
                  <tr key={e.id} className={stackedTable.tr}>
                    <td className={`py-2 pr-3 font-medium ${stackedTable.td}`} data-label="Name">
                      {e.name}
                    </td>
                    <td className={`break-all pr-3 font-mono text-xs ${stackedTable.td}`} data-label="Base URL">
                      {e.baseUrl}
                    </td>
                    <td className={`pr-3 ${stackedTable.td}`} data-label="Default model">
                      {e.defaultModel ?? <span className="text-slate-600">none</span>}
                    </td>
                    <td className={`pr-3 ${stackedTable.td}`} data-label="API key">
                      {e.apiKeySet ? <Badge tone="green">set</Badge> : <Badge>none</Badge>}
                    </td>
                    <td className={`whitespace-nowrap pr-3 text-slate-600 ${stackedTable.td}`} data-label="Changed">
                      <Time value={e.updatedAt} />
                    </td>
                    {canManage ? (
                      <td className={`text-right ${stackedTable.td}`} data-label="Actions">
                        <div className="flex flex-wrap justify-end gap-2">
                          <button
                            type="button"
                            className={buttonClass.secondary}
                            aria-label={`Edit ${e.name}`}
                            onClick={() => {
                              setStatus("");
                              setEditing(e);
                            }}
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            className={buttonClass.danger}
                            aria-label={`Delete ${e.name}`}
                            onClick={() => {
                              setDeleteError(null);
                              setDeleting(e);
                            }}
                          >
                            Delete
                          </button>
                        </div>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </Card>
      )}
      {editing ? (
        <EditEndpoint
          endpoint={editing}
          onCancel={() => setEditing(null)}
          onDone={(message) => {
            setEditing(null);
            setStatus(message);
            router.refresh();
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          confirmLabel="Delete endpoint"
          busyLabel="Deleting…"
          danger
          busy={busy}
          error={deleteError}
          onCancel={() => setDeleting(null)}
          onConfirm={() => remove(deleting)}
        >
          <p>
            Its stored API key is deleted with it. An endpoint that serves variants cannot be deleted: point them at another endpoint first.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
