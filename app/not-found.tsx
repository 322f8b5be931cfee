import Link from "next/link";

/** Unmatched URLs outside the dashboard's sections. */
export default function NotFound() {
  return (
    <main className="content">
      <div className="empty">
        <h1>Not found</h1>
        <p>
          <Link href="/">Go to the dashboard</Link>
        </p>
      </div>
    </main>
  );
}
