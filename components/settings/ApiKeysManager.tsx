"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/ConfirmDialog";
import { EmptyState } from "@/components/ui/EmptyState";
import { TableScroll } from "@/components/ui/TableScroll";
import { stackedTable } from "@/components/ui/stackedTable";
import { Time } from "@/components/ui/Time";
import { sendJson, type FieldErrors } from "@/components/ui/apiRequest";
import { FormField, fieldClass } from "@/components/experiments/FormField";

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The secret of the key just created, with a copy button; shown once, and gone as soon as that key is revoked. */
function NewKey({ secret, name }: { secret: string; name: string }) {
  const [copied, setCopied] = useState<"yes" | "failed" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }
  return (
    <div className="rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="new-api-key-panel">
      <p className="text-sm font-medium text-amber-900">Copy your new key “{name}” now. It will not be shown again.</p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <code
          data-testid="new-api-key"
          className="block min-w-0 flex-1 break-all rounded bg-white px-3 py-2 font-mono text-sm text-slate-900 ring-1 ring-amber-200"
        >
          {secret}
        </code>
        <button type="button" className={buttonClass.secondary} onClick={copy}>
          Copy key
        </button>
      </div>
      <p role="status" className="mt-2 min-h-5 text-sm text-amber-900">
        {copied === "yes" ? "Copied to the clipboard." : copied === "failed" ? "Could not copy: select the key and copy it by hand." : ""}
      </p>
    </div>
  );
}

export function ApiKeysManager({ keys }: { keys: KeyRow[] }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [created, setCreated] = useState<{ id: string; name: string; secret: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [revoking, setRevoking] = useState<KeyRow | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setFields({});
    const res = await sendJson("/api/v1/api-keys", "POST", { name });
    if (!res.ok) {
      setFields(res.fields);
      return setError(res.fields.name ? null : res.message);
    }
    const data = res.data as { key: string; apiKey: { id: string; name: string } };
    setCreated({ id: data.apiKey.id, name: data.apiKey.name, secret: data.key });
    setName("");
    router.refresh();
  }

  async function revoke(key: KeyRow) {
    setBusy(true);
    setRevokeError(null);
    const res = await sendJson(`/api/v1/api-keys/${key.id}`, "DELETE");
    setBusy(false);
    if (!res.ok) return setRevokeError(res.message);
    setRevoking(null);
    if (created?.id === key.id) setCreated(null);
    router.refresh();
  }

  // The secret stays on screen only while its key still works.
  const shown = created && !keys.some((k) => k.id === created.id && k.revokedAt) ? created : null;

  return (
    <div className="space-y-6">
      {error ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {error}
        </p>
      ) : null}
      {shown ? <NewKey secret={shown.secret} name={shown.name} /> : null}
      <Card title="Create a key">
        <form onSubmit={create} className="flex flex-wrap items-start gap-3" noValidate>
          <FormField id="key-name" label="Name (what will use it)" error={fields.name} className="min-w-0 flex-1 basis-64">
            <input
              id="key-name"
              className={fieldClass(fields.name)}
              placeholder="e.g. checkout-service ingest"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </FormField>
          <div className="pt-6">
            <button type="submit" className={buttonClass.primary}>
              Create key
            </button>
          </div>
        </form>
      </Card>
      {keys.length === 0 ? (
        <EmptyState title="No API keys yet">Create one above to call the API from a script or service.</EmptyState>
      ) : (
        <Card>
          <TableScroll label="API keys table">
            <table className={stackedTable.table} data-testid="api-keys-table">
              <thead className={stackedTable.thead}>
                <tr>
                  <th className="py-2 pr-3">Name</th>
                  <th className="pr-3">Key</th>
                  <th className="pr-3">Created</th>
                  <th className="pr-3">Last used</th>
                  <th>
                    <span className="sr-only">Status or action</span>
                  </th>
                </tr>
              </thead>
              <tbody className={stackedTable.tbody}>
                {keys.map((k) => (
                  <tr key={k.id} className={stackedTable.tr}>
                    <td className={`py-2 pr-3 font-medium ${stackedTable.td}`} data-label="Name">
                      {k.name}
                    </td>
                    <td className={`pr-3 font-mono text-xs ${stackedTable.td}`} data-label="Key">
                      {k.prefix}…
                    </td>
                    <td className={`whitespace-nowrap pr-3 text-slate-600 ${stackedTable.td}`} data-label="Created">
                      <Time value={k.createdAt} />
                    </td>
                    <td className={`whitespace-nowrap pr-3 text-slate-600 ${stackedTable.td}`} data-label="Last used">
                      {k.lastUsedAt ? <Time value={k.lastUsedAt} /> : "never"}
                    </td>
                    <td className={`text-right ${stackedTable.td}`} data-label="Status">
                      {k.revokedAt ? (
                        <Badge tone="red">revoked</Badge>
                      ) : (
                        <button
                          type="button"
                          className={buttonClass.danger}
                          aria-label={`Revoke ${k.name}`}
                          onClick={() => {
                            setRevokeError(null);
                            setRevoking(k);
                          }}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </Card>
      )}
      {revoking ? (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke key"
          busyLabel="Revoking…"
          danger
          busy={busy}
          error={revokeError}
          onCancel={() => setRevoking(null)}
          onConfirm={() => revoke(revoking)}
        >
          <p>
            Anything still sending <span className="font-mono">{revoking.prefix}…</span> is refused from its next request. This cannot be
            undone: create a new key if you need one.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
