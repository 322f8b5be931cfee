"use client";

import "@xyflow/react/dist/style.css";
import "./journey-canvas.css";
import { Background, type Connection, Controls, type Edge, type EdgeChange, type NodeChange, ReactFlow, ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { type DragEvent, useCallback, useEffect, useMemo, useState } from "react";
import { addStep, connectExit, draftSteps, draftToFlow, moveSteps, removeSteps, TRIGGER_NODE_ID, updateStep } from "@/core/journeys/canvas-graph";
import { JOURNEY_NODE_TYPES, type JourneyNodeType } from "@/core/journeys/graph";
import { type JourneyGraphError, validateJourneyGraph } from "@/core/journeys/validate-graph";
import { type CanvasDraft, type CanvasRevision, listCanvasRevisions, loadCanvasRevision, publishCanvasDraft } from "./canvas-actions";
import { type CanvasNode, NODE_TYPES, STEP_TITLES } from "./canvas-nodes";
import { type ListChoice, StepSettings, type StoredPreview, type TemplateChoice, TriggerSettings } from "./step-settings";
import { useCanvasDraft } from "./use-canvas-draft";

type Draft = Record<string, unknown>;
type Props = {
  workspaceId: string;
  journeyId: string;
  archived: boolean;
  allowHttpWebhooks: boolean;
  initial: CanvasDraft;
  templates: TemplateChoice[];
  lists: ListChoice[];
  /** Send steps' previews rendered when the draft was saved, by step id. */
  previews: Record<string, StoredPreview>;
};

const DRAG_TYPE = "application/x-sendline-step";

function summary(step: Draft): string {
  switch (step.type) {
    case "send":
      return `${String(step.channel ?? "")} message`;
    case "wait":
      return step.untilLocalTime ? `until ${String(step.untilLocalTime)}` : `${String((step.duration as Draft | undefined)?.amount ?? "?")} ${String((step.duration as Draft | undefined)?.unit ?? "")}`;
    case "waitForEvent":
      return step.event === "custom" ? `for “${String(step.eventName ?? "")}”` : `until ${String(step.event)}`;
    case "branch":
      return String(step.condition || "no condition yet");
    case "randomSplit":
      return `${(step.exits as unknown[] | undefined)?.length ?? 0} ways`;
    case "webhook":
      return String(step.url || "no URL yet");
    default:
      return "";
  }
}

function triggerSummary(draft: Draft): string {
  const trigger = (draft.trigger ?? {}) as Draft;
  return trigger.type === "segment" ? "entering a segment" : `event “${String(trigger.eventName ?? "")}”`;
}

function Canvas(props: Props) {
  const readOnly = props.archived;
  const { draft, apply, undo, redo, canUndo, canRedo, save, flush, reload, restore, remoteNotice, unsaved } = useCanvasDraft({ ...props, readOnly });
  const [selected, setSelected] = useState<string | null>(null);
  const [serverErrors, setServerErrors] = useState<JourneyGraphError[]>([]);
  const [publishNotice, setPublishNotice] = useState<{ ok: boolean; message: string } | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [revisions, setRevisions] = useState<CanvasRevision[] | null>(null);
  const flowApi = useReactFlow();

  const check = useMemo(() => validateJourneyGraph(draft, { allowHttpWebhooks: props.allowHttpWebhooks }), [draft, props.allowHttpWebhooks]);
  const errors = check.ok ? serverErrors : check.errors;
  const invalidIds = useMemo(() => new Set(errors.map((error) => error.nodeId).filter((id): id is string => id !== null)), [errors]);
  const conflictIds = useMemo(() => new Set(save.kind === "failed" ? save.conflicts.map((conflict) => conflict.nodeId).filter((id): id is string => id !== null) : []), [save]);

  const flow = useMemo(() => draftToFlow(draft), [draft]);
  // React Flow measures nodes and moves them while dragging: both kept here, beside the draft,
  // which records a position only when the drag ends (one undo step, one save).
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const [dragging, setDragging] = useState<Record<string, { x: number; y: number }>>({});
  const nodes = useMemo(
    (): CanvasNode[] =>
      flow.nodes.map((node) => ({
        id: node.id,
        type: node.type,
        position: dragging[node.id] ?? node.position,
        ...(measured[node.id] ? { measured: measured[node.id] } : {}),
        selected: node.id === selected,
        deletable: node.type !== "trigger" && !readOnly,
        data: {
          title: node.type === "trigger" ? "Trigger" : (STEP_TITLES[String(node.data.step?.type)] ?? String(node.data.step?.type)),
          summary: node.type === "trigger" ? triggerSummary(draft) : summary(node.data.step ?? {}),
          handles: node.data.handles,
          invalid: invalidIds.has(node.id),
          conflict: conflictIds.has(node.id),
        },
      })),
    [conflictIds, draft, dragging, flow.nodes, invalidIds, measured, readOnly, selected],
  );
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const edges: Edge[] = useMemo(() => flow.edges.map((edge) => ({ ...edge, deletable: !readOnly, selected: selectedEdges.has(edge.id) })), [flow.edges, readOnly, selectedEdges]);
  const onEdgesChange = useCallback((changes: EdgeChange<Edge>[]) => {
    const picks = changes.filter((change) => change.type === "select");
    if (picks.length === 0) return;
    setSelectedEdges((current) => {
      const next = new Set(current);
      for (const change of picks) {
        if (change.selected) next.add(change.id);
        else next.delete(change.id);
      }
      return next;
    });
  }, []);

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    const sizes: Record<string, { width: number; height: number }> = {};
    const moves: Record<string, { x: number; y: number }> = {};
    for (const change of changes) {
      if (change.type === "dimensions" && change.dimensions) sizes[change.id] = change.dimensions;
      else if (change.type === "position" && change.position) moves[change.id] = change.position;
      else if (change.type === "select" && change.selected) setSelected(change.id);
    }
    if (Object.keys(sizes).length > 0) setMeasured((current) => ({ ...current, ...sizes }));
    if (Object.keys(moves).length > 0) setDragging((current) => ({ ...current, ...moves }));
  }, []);

  const select = useCallback(
    (id: string | null) => {
      setSelected(id);
      const node = id ? flowApi.getNode(id) : undefined;
      if (node) void flowApi.setCenter(node.position.x + 100, node.position.y + 40, { duration: 200, zoom: flowApi.getZoom() });
    },
    [flowApi],
  );

  const add = useCallback(
    (type: JourneyNodeType, position?: { x: number; y: number }) => {
      const lowest = Math.max(0, ...flow.nodes.map((node) => node.position.y));
      const added = addStep(draft, type, position ?? { x: 0, y: lowest + 150 });
      apply(added.draft);
      setSelected(added.id);
    },
    [apply, draft, flow.nodes],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(DRAG_TYPE) as JourneyNodeType;
      if (!JOURNEY_NODE_TYPES.includes(type)) return;
      event.preventDefault();
      add(type, flowApi.screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [add, flowApi],
  );

  // Undo/redo from the keyboard, except while typing, where the field's own undo applies.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target?.closest("input, textarea, select, [contenteditable]")) return;
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey) undo();
      else if ((key === "z" && event.shiftKey) || key === "y") redo();
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [redo, undo]);

  const publish = useCallback(async () => {
    setPublishing(true);
    setPublishNotice(null);
    try {
      if (!(await flush())) {
        setPublishNotice({ ok: false, message: "Not published: the draft could not be saved first." });
        return;
      }
      const outcome = await publishCanvasDraft({ workspaceId: props.workspaceId, journeyId: props.journeyId });
      setServerErrors(outcome.ok ? [] : outcome.errors);
      setPublishNotice({ ok: outcome.ok, message: outcome.message });
    } finally {
      setPublishing(false);
    }
  }, [flush, props.journeyId, props.workspaceId]);

  const showHistory = useCallback(async () => setRevisions(await listCanvasRevisions({ workspaceId: props.workspaceId, journeyId: props.journeyId })), [props.journeyId, props.workspaceId]);
  const restoreRevision = useCallback(
    async (revision: number) => {
      const revisionDraft = await loadCanvasRevision({ workspaceId: props.workspaceId, journeyId: props.journeyId, revision });
      if (revisionDraft) restore(revisionDraft);
      setRevisions(null);
    },
    [props.journeyId, props.workspaceId, restore],
  );

  const steps = draftSteps(draft);
  const selectedStep = selected && selected !== TRIGGER_NODE_ID ? steps.find((step) => step.id === selected) : undefined;
  const saveText =
    save.kind === "saved" ? `Saved · revision ${save.revision}${save.merged ? " (merged with another editor’s changes)" : ""}` : save.kind === "saving" ? "Saving…" : save.kind === "pending" ? "Unsaved changes" : save.message;

  return (
    <div className="canvas-editor">
      <div className="canvas-toolbar" role="toolbar" aria-label="Journey canvas">
        <button type="button" onClick={undo} disabled={!canUndo || readOnly} title="Undo (Ctrl+Z)">
          Undo
        </button>
        <button type="button" onClick={redo} disabled={!canRedo || readOnly} title="Redo (Ctrl+Shift+Z)">
          Redo
        </button>
        <button type="button" onClick={() => void showHistory()}>
          History
        </button>
        <button type="button" className="primary" onClick={() => void publish()} disabled={readOnly || !check.ok || publishing} title={check.ok ? "Publish the draft as the next version" : "Fix the problems listed first"}>
          Publish
        </button>
        <span role="status" className={save.kind === "failed" ? "canvas-save problem" : "canvas-save"} data-testid="save-status">
          {saveText}
        </span>
        {save.kind === "failed" ? (
          <button type="button" onClick={() => void reload()}>
            Load the saved version
          </button>
        ) : null}
      </div>
      {remoteNotice ? (
        <p className="canvas-remote" role="status" aria-live="polite">
          {remoteNotice}
        </p>
      ) : null}
      {publishNotice ? (
        <p role="status" className={publishNotice.ok ? "notice" : "problem"}>
          {publishNotice.message}
        </p>
      ) : null}
      {revisions ? (
        <section className="canvas-history" aria-label="History">
          <h3>History</h3>
          <ol>
            {revisions.map((revision) => (
              <li key={revision.revision}>
                Revision {revision.revision} · {new Date(revision.savedAt).toLocaleString()} · {revision.kind} by {revision.savedBy ?? "—"}{" "}
                <button type="button" disabled={readOnly} onClick={() => void restoreRevision(revision.revision)}>
                  Restore revision {revision.revision}
                </button>
              </li>
            ))}
          </ol>
          <button type="button" onClick={() => setRevisions(null)}>
            Close
          </button>
        </section>
      ) : null}
      <div className="canvas-body">
        <aside className="canvas-palette" aria-label="Steps">
          <h3>Add a step</h3>
          {JOURNEY_NODE_TYPES.map((type) => (
            <button key={type} type="button" draggable={!readOnly} disabled={readOnly} onDragStart={(event) => event.dataTransfer.setData(DRAG_TYPE, type)} onClick={() => add(type)}>
              {STEP_TITLES[type]}
            </button>
          ))}
        </aside>
        <div className="canvas-flow" onDragOver={(event) => event.preventDefault()} onDrop={onDrop}>
          <ReactFlow<CanvasNode, Edge>
            nodes={nodes}
            edges={edges}
            nodeTypes={NODE_TYPES}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onNodeDragStop={(_event, _node, moved) => {
              apply(moveSteps(draft, Object.fromEntries(moved.map((node) => [node.id, node.position]))));
              setDragging({});
            }}
            onNodesDelete={(deleted) => {
              apply(removeSteps(draft, deleted.map((node) => node.id)));
              setSelected(null);
            }}
            onEdgesDelete={(deleted) => apply(deleted.reduce((current, edge) => connectExit(current, edge.source, edge.sourceHandle ?? "next", null), draft))}
            onConnect={(connection: Connection) => apply(connectExit(draft, connection.source, connection.sourceHandle ?? "next", connection.target))}
            onPaneClick={() => setSelected(null)}
            nodesDraggable={!readOnly}
            nodesConnectable={!readOnly}
            fitView
            fitViewOptions={{ maxZoom: 1 }}
            proOptions={{ hideAttribution: false }}
          >
            <Background />
            <Controls showInteractive={false} />
          </ReactFlow>
        </div>
        <aside className="canvas-side" aria-label="Settings">
          {selected === TRIGGER_NODE_ID ? (
            <TriggerSettings draft={draft} readOnly={readOnly} onChange={(next, field) => apply(next, `trigger:${field}`)} />
          ) : selectedStep ? (
            <>
              <StepSettings
                key={selectedStep.id}
                step={selectedStep}
                steps={steps}
                templates={props.templates}
                lists={props.lists}
                stored={props.previews[selectedStep.id]}
                workspaceId={props.workspaceId}
                journeyId={props.journeyId}
                readOnly={readOnly}
                onChange={(settings, field) => apply(updateStep(draft, selectedStep.id, settings), `${selectedStep.id}:${field}`)}
              />
              <button type="button" className="danger" disabled={readOnly} onClick={() => apply(removeSteps(draft, [selectedStep.id]))}>
                Delete step {selectedStep.id}
              </button>
            </>
          ) : (
            <p className="muted">Select a step to edit its settings, or the trigger for the journey’s own.</p>
          )}
          <section aria-label="Problems" className="canvas-problems">
            <h3>{errors.length === 0 ? "Ready to publish" : `${errors.length} problem${errors.length === 1 ? "" : "s"} before publishing`}</h3>
            <ul>
              {errors.map((error, index) => (
                <li key={index}>
                  {error.nodeId && (error.nodeId === TRIGGER_NODE_ID || steps.some((step) => step.id === error.nodeId)) ? (
                    <button type="button" className="link" onClick={() => select(error.nodeId)}>
                      {error.nodeId}
                    </button>
                  ) : (
                    <strong>journey</strong>
                  )}
                  : {error.field ? `${error.field}: ` : ""}
                  {error.message}
                </li>
              ))}
            </ul>
          </section>
          {unsaved && !readOnly ? <p className="muted">Changes save about a second after you stop editing.</p> : null}
        </aside>
      </div>
    </div>
  );
}

/** The editor with React Flow's context (palette drops and "show this step" need the viewport). */
export function JourneyCanvas(props: Props) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}
