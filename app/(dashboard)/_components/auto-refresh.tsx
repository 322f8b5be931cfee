"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Re-renders the page from the server every `intervalMs` while `active`. The server decides
 * `active` on each render (an import still queued or running), so polling stops by itself the
 * render after the import finishes. A hidden tab skips its turns.
 */
export function AutoRefresh({ active, intervalMs }: { active: boolean; intervalMs: number }) {
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
    <span className="live" title={`Refreshing every ${intervalMs / 1000} s while an import is queued or running`}>
      live
    </span>
  );
}
