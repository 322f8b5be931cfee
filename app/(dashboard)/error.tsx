"use client";

/** Shown when a page throws (most often: the database is unreachable). Details stay in the server log. */
export default function DashboardError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="alert" role="alert">
      <h1>Something went wrong</h1>
      <p>The page could not be rendered. Check the server log{error.digest ? ` (digest ${error.digest})` : ""} and /api/health.</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
