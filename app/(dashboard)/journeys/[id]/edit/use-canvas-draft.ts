"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { mergeJourneyDrafts } from "@/core/journeys/merge-drafts";
import { type CanvasDraft, loadCanvasDraft, saveCanvasDraft } from "./canvas-actions";

type Draft = Record<string, unknown>;

/** Autosave waits this long after the last edit: one save per pause in typing or dragging, not per keystroke. */
export const AUTOSAVE_DEBOUNCE_MS = 1_000;
/** Undo keeps this many steps back. */
const UNDO_DEPTH = 100;
/** Edits of the same field this close together are one undo step (typing a condition is one change). */
const COALESCE_MS = 1_500;

export type SaveState =
  | { kind: "saved"; revision: number; merged: boolean }
  | { kind: "pending" }
  | { kind: "saving" }
  | { kind: "failed"; message: string; conflicts: { nodeId: string | null; message: string }[] };

/**
 * The canvas's draft and everything that keeps it in step with the server: undo/redo (a stack
 * of drafts — every canvas edit is draft → draft), a debounced autosave on the base revision last
 * seen, and the live stream of others' saves. Another editor's save is merged into this page's
 * unsaved edits with the same three-way merge the server uses, so neither side's work is lost;
 * a clash is shown, never resolved silently.
 */
export function useCanvasDraft(params: { workspaceId: string; journeyId: string; initial: CanvasDraft; readOnly: boolean }) {
  const { workspaceId, journeyId, readOnly } = params;
  const [draft, setDraftState] = useState<Draft>(params.initial.draft);
  const [past, setPast] = useState<Draft[]>([]);
  const [future, setFuture] = useState<Draft[]>([]);
  const [save, setSave] = useState<SaveState>({ kind: "saved", revision: params.initial.revision, merged: false });
  const [remoteNotice, setRemoteNotice] = useState<string | null>(null);
  const draftRef = useRef(draft);
  /** The last draft the server holds, as far as this page knows: the base of the next save. */
  const savedRef = useRef({ revision: params.initial.revision, draft: params.initial.draft });
  const inFlight = useRef(false);
  const restoring = useRef(false);
  const lastEdit = useRef<{ key: string; at: number } | null>(null);
  const [editor] = useState(() => Math.random().toString(36).slice(2, 10));

  const setDraft = useCallback((next: Draft) => {
    draftRef.current = next;
    setDraftState(next);
  }, []);

  /** An edit: undoable, and saved after a pause. `key` coalesces a run of edits to one field into one undo step. */
  const apply = useCallback(
    (next: Draft, key?: string) => {
      if (readOnly || next === draftRef.current) return;
      const now = Date.now();
      const coalesce = key !== undefined && lastEdit.current?.key === key && now - lastEdit.current.at < COALESCE_MS;
      lastEdit.current = key !== undefined ? { key, at: now } : null;
      if (!coalesce) setPast((stack) => [...stack.slice(-(UNDO_DEPTH - 1)), draftRef.current]);
      setFuture([]);
      setDraft(next);
    },
    [readOnly, setDraft],
  );

  const undo = useCallback(() => {
    setPast((stack) => {
      if (stack.length === 0) return stack;
      const previous = stack[stack.length - 1]!;
      setFuture((redo) => [draftRef.current, ...redo]);
      setDraft(previous);
      lastEdit.current = null;
      return stack.slice(0, -1);
    });
  }, [setDraft]);

  const redo = useCallback(() => {
    setFuture((stack) => {
      if (stack.length === 0) return stack;
      const next = stack[0]!;
      setPast((undoStack) => [...undoStack, draftRef.current]);
      setDraft(next);
      lastEdit.current = null;
      return stack.slice(1);
    });
  }, [setDraft]);

  /** Takes the server's draft as this page's base, keeping local edits made since `sent` by merging them in. */
  const adopt = useCallback(
    (head: CanvasDraft, sent: Draft): string | null => {
      const local = draftRef.current;
      savedRef.current = { revision: head.revision, draft: head.draft };
      if (local === sent) {
        setDraft(head.draft);
        return null;
      }
      const merged = mergeJourneyDrafts(sent, local, head.draft);
      if (merged.ok) {
        setDraft(merged.draft);
        return null;
      }
      return merged.conflicts.map((conflict) => conflict.message).join("; ");
    },
    [setDraft],
  );

  const flush = useCallback(async (): Promise<boolean> => {
    if (readOnly || inFlight.current) return false;
    const sent = draftRef.current;
    if (sent === savedRef.current.draft) return true;
    inFlight.current = true;
    setSave({ kind: "saving" });
    try {
      const outcome = await saveCanvasDraft({ workspaceId, journeyId, baseRevision: savedRef.current.revision, draft: sent, editor, restoring: restoring.current });
      restoring.current = false;
      if (!outcome.ok) {
        setSave({ kind: "failed", message: outcome.message, conflicts: outcome.conflicts });
        return false;
      }
      const clash = outcome.merged ? adopt(outcome.head, sent) : ((savedRef.current = { revision: outcome.head.revision, draft: sent }), null);
      setSave(clash ? { kind: "failed", message: `Others' changes could not be merged with yours: ${clash}`, conflicts: [] } : { kind: "saved", revision: outcome.head.revision, merged: outcome.merged });
      return !clash && draftRef.current === savedRef.current.draft;
    } catch {
      setSave({ kind: "failed", message: "Not saved: the server could not be reached. Your changes are kept here and saved on the next edit.", conflicts: [] });
      return false;
    } finally {
      inFlight.current = false;
    }
  }, [adopt, editor, journeyId, readOnly, workspaceId]);

  // Debounced autosave: each edit restarts the wait; an edit made during a save is saved after it.
  useEffect(() => {
    if (readOnly || draft === savedRef.current.draft) return;
    setSave((state) => (state.kind === "failed" && state.conflicts.length > 0 ? state : { kind: "pending" }));
    const timer = setTimeout(function attempt() {
      if (inFlight.current) {
        setTimeout(attempt, AUTOSAVE_DEBOUNCE_MS / 4);
        return;
      }
      void flush();
    }, AUTOSAVE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft, flush, readOnly]);

  /** Throws away local edits for the saved draft (after a conflict). */
  const reload = useCallback(async () => {
    const head = await loadCanvasDraft({ workspaceId, journeyId });
    if (!head) return;
    savedRef.current = { revision: head.revision, draft: head.draft };
    setPast((stack) => [...stack, draftRef.current]);
    setDraft(head.draft);
    setSave({ kind: "saved", revision: head.revision, merged: false });
  }, [journeyId, setDraft, workspaceId]);

  // Others' saves, live: load the new draft and merge this page's unsaved edits into it.
  useEffect(() => {
    const source = new EventSource(`/journeys/${journeyId}/edit/stream?workspace=${encodeURIComponent(workspaceId)}`);
    source.addEventListener("revision", (event) => {
      const { revision, savedBy } = JSON.parse((event as MessageEvent<string>).data) as { revision: number; savedBy: string | null };
      // Our own save (or one our save already merged): nothing new. A save in flight will merge on the server.
      if (revision <= savedRef.current.revision || inFlight.current) return;
      void loadCanvasDraft({ workspaceId, journeyId }).then((head) => {
        if (!head || head.revision <= savedRef.current.revision || inFlight.current) return;
        const clash = adopt(head, savedRef.current.draft);
        setRemoteNotice(clash ? `Someone else saved revision ${head.revision}, and it clashes with your unsaved change: ${clash}` : `Revision ${head.revision} saved by ${savedBy === `dashboard:${editor}` ? "you" : (savedBy ?? "someone else")} is shown.`);
        if (!clash) setSave((state) => (state.kind === "saved" ? { kind: "saved", revision: head.revision, merged: false } : state));
      });
    });
    return () => source.close();
  }, [adopt, editor, journeyId, workspaceId]);

  const restore = useCallback(
    (revisionDraft: Draft) => {
      restoring.current = true;
      apply(revisionDraft);
    },
    [apply],
  );

  // What the status says follows the draft in the same render (the autosave effect runs a moment
  // later): undoing back to what is saved reads "saved", and any other edit never reads "saved".
  const unsaved = draft !== savedRef.current.draft;
  const shown: SaveState =
    save.kind === "pending" && !unsaved ? { kind: "saved", revision: savedRef.current.revision, merged: false } : save.kind === "saved" && unsaved ? { kind: "pending" } : save;
  return { draft, apply, undo, redo, canUndo: past.length > 0, canRedo: future.length > 0, save: shown, flush, reload, restore, remoteNotice, editor, unsaved };
}
