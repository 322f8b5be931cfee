import type { Metadata } from "next";
import { listBackups } from "@/db/queries/backups";
import { envValue } from "@/core/config/env";
import { AutoRefresh } from "../_components/auto-refresh";
import { PageHeader } from "../_components/ui";
import { dashboardContext } from "../_lib/workspace";
import { BackupButton } from "./backup-button";
import { BackupsTable } from "./backups-table";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Backups" };

const SHOWN = 50;
/** How often the page redraws while a backup runs. */
const BACKUP_REFRESH_MS = 3_000;

/** Backups are the whole database's, not a workspace's: this page is the same whichever workspace is selected. */
export default async function BackupsPage() {
  const { db } = await dashboardContext();
  const backups = await listBackups(db, { limit: SHOWN });
  return (
    <>
      <PageHeader
        title="Backups"
        subtitle={`Logical backups of the whole database to file storage: every table as gzip JSONL from one consistent snapshot, with a manifest of counts and checksums. Scheduled on ${envValue("BACKUP_CRON")}; kept ${envValue("BACKUP_RETENTION_DAYS")} days (the newest completed one always).`}
      >
        <AutoRefresh active={backups.some((backup) => backup.status === "running")} intervalMs={BACKUP_REFRESH_MS} while="a backup is running" />
      </PageHeader>
      <section>
        <BackupButton />
        <p className="muted">
          Restore into a fresh database with <code>npm run backup:restore -- --from &lt;id | latest&gt; --to &lt;postgres url | pglite dir&gt;</code>: it loads every table, resets the sequences
          and verifies each table&apos;s rows and checksum against the manifest. <code>npm run backup</code> takes one from the command line.
        </p>
      </section>
      <section>
        <h2>History</h2>
        <BackupsTable backups={backups} />
      </section>
    </>
  );
}
