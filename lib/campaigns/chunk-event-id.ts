/**
 * Event id of a chunk's `emit`-th emission: a retried fan-out step re-sends the same ids (the
 * event API drops them), while a watchdog re-emit or a resume uses the next number and does
 * start a new run.
 */
export function chunkEventId(campaignId: string, chunk: number, emit: number): string {
  return `campaign-chunk-${campaignId}-${chunk}-${emit}`;
}
