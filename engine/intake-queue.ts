import { EventsNotStored, type Submission } from "./events";

/** Events handled in one batch at most: bounds a batch's statements and its latency for the senders in it. */
const MAX_BATCH_EVENTS = 5_000;

interface Pending {
  submission: Submission;
  resolve(ids: string[]): void;
  reject(err: unknown): void;
}

/**
 * Group commit for event intake. A submission arriving while none is in progress is handled at
 * the next turn of the event loop (a lone sender waits for nothing); those arriving meanwhile wait for it and then go
 * together as one batch, in arrival order. Sixteen webhooks posted at once so cost a few
 * statements instead of a few each. A batch refused before anything was stored is retried one
 * submission at a time, so one bad submission (say, text PostgreSQL cannot store) fails only its
 * own sender; a later failure fails the batch's senders, whose SDKs retry with the same id seeds.
 */
export class IntakeQueue {
  private queue: Pending[] = [];
  private busy = false;
  private drained: Promise<void> = Promise.resolve();

  constructor(private readonly ingest: (submissions: Submission[]) => Promise<string[][]>) {}

  submit(submission: Submission): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ submission, resolve, reject });
      if (!this.busy) this.drained = this.drain();
    });
  }

  /** Settles once everything submitted so far is handled: the engine stops only after the events it emitted itself. */
  async idle(): Promise<void> {
    while (this.busy) await this.drained;
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      // One turn of the event loop before each batch: requests whose bytes have already arrived
      // are parsed first and join it. Without it an embedded database, which holds the thread
      // while it works, leaves every batch at one submission.
      while ((await new Promise((r) => setImmediate(r)), this.queue.length > 0)) await this.run(this.takeBatch());
    } finally {
      this.busy = false;
    }
  }

  private takeBatch(): Pending[] {
    let events = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || events + this.queue[n]!.submission.events.length <= MAX_BATCH_EVENTS))
      events += this.queue[n++]!.submission.events.length;
    return this.queue.splice(0, n);
  }

  private async run(batch: Pending[]): Promise<void> {
    try {
      const ids = await this.ingest(batch.map((p) => p.submission));
      batch.forEach((p, i) => p.resolve(ids[i]!));
    } catch (err) {
      if (batch.length > 1 && err instanceof EventsNotStored) for (const p of batch) await this.run([p]);
      else for (const p of batch) p.reject(err instanceof EventsNotStored ? err.cause : err);
    }
  }
}
