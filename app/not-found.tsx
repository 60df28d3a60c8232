import { NotFound } from "@/components/ui/NotFound";

/** A 404 outside the signed-in pages. */
export default function RootNotFound() {
  return (
    <main id="main" className="px-4 py-10">
      <NotFound title="This page does not exist">
        <p>Check the address, or start from the overview.</p>
      </NotFound>
    </main>
  );
}
