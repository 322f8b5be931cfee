import Link from "next/link";

export default function NotFound() {
  return (
    <div className="empty">
      <h1>Not found</h1>
      <p>Nothing with that id in this workspace. It may belong to another workspace: switch above, or go back to the list.</p>
      <p>
        <Link href="/">Overview</Link>
      </p>
    </div>
  );
}
