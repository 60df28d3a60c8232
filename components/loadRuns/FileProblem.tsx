/** A refused upload: the message, and each line and field the server named with what is wrong there. */
export function FileProblem({ message, fields }: { message: string; fields: Record<string, string> }) {
  const entries = Object.entries(fields);
  return (
    <div role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800" data-testid="file-problem">
      <p>{message}</p>
      {entries.length ? (
        <ul className="mt-1 list-disc pl-5">
          {entries.map(([field, text]) => (
            <li key={field}>
              <strong>{field}</strong>: {text}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
