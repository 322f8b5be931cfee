"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Re-renders the page from the server every `intervalMs` while `active`. The server decides
 * `active` on each render (an import running, a campaign sending), so polling stops by itself
 * the render after the work finishes. A hidden tab skips its turns. `while` completes the
 * tooltip: "Refreshing every 2 s while <while>".
 */
export function AutoRefresh({ active, intervalMs, while: during = "work is in progress" }: { active: boolean; intervalMs: number; while?: string }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (!document.hidden) router.refresh();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  if (!active) return null;
  return (
    <span className="live" title={`Refreshing every ${intervalMs / 1000} s while ${during}`}>
      live
    </span>
  );
}
