import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { getImport, type Import } from "@/db/queries/imports";
import { contacts, importErrors } from "@/db/schema";
import { createImport, type ImportMode } from "@/lib/imports/create-import";
import type { MappingOverride } from "@/core/imports/map-header";
import type { ImportTagsTarget } from "@/core/imports/validate-import-record";
import { createFileStorage } from "@/lib/storage/create-file-storage";
import { useTestDatabase as installTestDatabase } from "@/test/support/database";
import { type RecordedEvent, startEventRecorder } from "@/test/support/event-recorder";

export const FIXTURES_DIR = path.resolve("test/fixtures/imports");

/**
 * Points file storage at a throwaway directory and the Inngest client at a loopback event
 * recorder (anything sent with inngest.send rather than step.sendEvent lands there). Call before
 * importing the function module: the client reads INNGEST_DEV when first loaded.
 */
export async function setUpImportEnvironment() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sendline-imports-"));
  process.env.SENDLINE_DATA_DIR = dataDir;
  delete process.env.S3_BUCKET;
  const recorder = await startEventRecorder();
  process.env.INNGEST_DEV = recorder.url;
  return {
    recorder,
    dataDir,
    async tearDown() {
      await recorder.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The usual set-up of an import test file: the import environment now (before the file imports
 * the function module), a fresh test database handed to `use` before its tests, and both torn
 * down after them.
 */
export async function setUpImportTestFile(use: (database: Database) => void) {
  const env = await setUpImportEnvironment();
  let database: Database | undefined;
  beforeAll(async () => {
    database = await installTestDatabase();
    use(database);
  });
  afterAll(async () => {
    await database?.close();
    await env.tearDown();
  });
  return env;
}

export type ImportOptions = {
  mode?: ImportMode;
  listId?: string | null;
  mapping?: MappingOverride;
  sheetName?: string | null;
  tagsAs?: ImportTagsTarget;
  chunkRows?: number;
};

/** Stores a file (path or in-memory text) and records its import, as the upload route does. */
export async function createImportFrom(database: Database, workspaceId: string, file: { path: string } | { name: string; text: string | Buffer }, options: ImportOptions = {}) {
  const body = "path" in file ? fs.createReadStream(file.path) : Readable.from([Buffer.from(file.text)]);
  return createImport(database.db, createFileStorage(), {
    workspaceId,
    body,
    fileName: "path" in file ? path.basename(file.path) : file.name,
    mode: options.mode ?? "upsert",
    listId: options.listId ?? null,
    mapping: options.mapping ?? {},
    sheetName: options.sheetName ?? null,
    tagsAs: options.tagsAs,
    chunkRows: options.chunkRows,
  });
}

/** Runs import-contacts for one import with @inngest/test, to the end. */
export async function runImport(importContacts: unknown, workspaceId: string, importId: string) {
  const engine = new InngestTestEngine({ function: importContacts as never });
  const event = { name: "import/contacts.requested", data: { workspaceId, importId } } as RecordedEvent;
  return engine.execute({ events: [event as never] });
}

type SentEvent = { name: string; id?: string; data: unknown };

/** What a run handed to step.sendEvent (InngestTestEngine's spy), flattened in order. */
export function sentEvents(ctx: unknown): SentEvent[] {
  const spy = (ctx as { step: { sendEvent: { mock: { calls: [string, SentEvent | SentEvent[]][] } } } }).step.sendEvent;
  return spy.mock.calls.flatMap(([, payload]) => [payload].flat().map(({ name, id, data }) => ({ name, id, data })));
}

export async function importRow(database: Database, workspaceId: string, importId: string): Promise<Import> {
  return (await getImport(database.db, { workspaceId, importId }))!;
}

export async function errorRows(database: Database, importId: string) {
  return database.db
    .select({ line: importErrors.line, column: importErrors.column, reason: importErrors.reason, value: importErrors.value })
    .from(importErrors)
    .where(eq(importErrors.importId, importId))
    .orderBy(importErrors.line, importErrors.id);
}

export async function contactCount(database: Database, workspaceId: string): Promise<number> {
  const [row] = await database.db
    .select({ count: sql<number>`count(*)::int` })
    .from(contacts)
    .where(and(eq(contacts.workspaceId, workspaceId)));
  return row!.count;
}

/** A CSV of `rows` contacts: email, phone (US, valid ranges), names and one attribute. */
export function generatedCsv(rows: number, options: { start?: number; domain?: string } = {}): string {
  const start = options.start ?? 0;
  const lines = ["Email,Phone,First Name,Last Name,Plan"];
  for (let i = start; i < start + rows; i++) {
    const phone = `+1415${String(2_000_000 + i).padStart(7, "0")}`;
    lines.push(`user${i}@${options.domain ?? "example.com"},${phone},First${i},Last${i},plan-${i % 3}`);
  }
  return `${lines.join("\n")}\n`;
}
