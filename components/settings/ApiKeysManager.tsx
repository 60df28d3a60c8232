"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { buttonClass, inputClass, labelClass } from "@/components/ui/button";
import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { sendJson } from "@/components/ui/apiRequest";
import { Time } from "@/components/ui/Time";

interface KeyRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function ApiKeysManager({ keys }: { keys: KeyRow[] }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const res = await sendJson("/api/v1/api-keys", "POST", { name });
    if (!res.ok) return setError(res.message);
    setCreated((res.data as { key: string }).key);
    setName("");
    router.refresh();
  }

  async function revoke(id: string) {
    setError(null);
    const res = await sendJson(`/api/v1/api-keys/${id}`, "DELETE");
    if (!res.ok) return setError(res.message);
    router.refresh();
  }

  return (
    <div className="space-y-6">
      {error ? (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
          {error}
        </p>
      ) : null}
      {created ? (
        <div className="rounded-lg border border-amber-300 bg-amber-50 p-4" role="status">
          <p className="text-sm font-medium text-amber-900">Copy your new key now. It will not be shown again.</p>
          <code
            data-testid="new-api-key"
            className="mt-2 block break-all rounded bg-white px-3 py-2 font-mono text-sm ring-1 ring-amber-200"
          >
            {created}
          </code>
        </div>
      ) : null}
      <Card title="Create a key">
        <form onSubmit={create} className="flex flex-wrap items-end gap-3">
          <div className="min-w-64 flex-1">
            <label htmlFor="key-name" className={labelClass}>
              Name (what will use it)
            </label>
            <input
              id="key-name"
              className={`mt-1 ${inputClass}`}
              placeholder="e.g. checkout-service ingest"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          <button type="submit" className={buttonClass.primary}>
            Create key
          </button>
        </form>
      </Card>
      {keys.length === 0 ? (
        <EmptyState title="No API keys yet">Create one above to call the API from a script or service.</EmptyState>
      ) : (
        <Card>
          <table className="w-full text-left text-sm" data-testid="api-keys-table">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2">Name</th>
                <th>Key</th>
                <th>Created</th>
                <th>Last used</th>
                <th></th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {keys.map((k) => (
                <tr key={k.id}>
                  <td className="py-2 font-medium">{k.name}</td>
                  <td className="font-mono text-xs">{k.prefix}…</td>
                  <td className="text-slate-600">
                    <Time value={k.createdAt} />
                  </td>
                  <td className="text-slate-600">{k.lastUsedAt ? <Time value={k.lastUsedAt} /> : "never"}</td>
                  <td className="text-right">
                    {k.revokedAt ? (
                      <Badge tone="red">revoked</Badge>
                    ) : (
                      <button type="button" className={buttonClass.danger} onClick={() => revoke(k.id)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}
