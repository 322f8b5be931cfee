"use client";

import { Handle, type Node, type NodeProps, Position } from "@xyflow/react";

/** What a node on the canvas shows; built from the draft by journey-canvas. */
export type CanvasNodeData = { title: string; summary: string; handles: string[]; invalid: boolean; conflict: boolean };
export type CanvasNode = Node<CanvasNodeData, "trigger" | "step">;

export const STEP_TITLES: Record<string, string> = {
  send: "Send",
  wait: "Wait",
  waitForEvent: "Wait for event",
  branch: "Branch",
  randomSplit: "Random split",
  updateContact: "Update contact",
  addToList: "Add to list",
  removeFromList: "Remove from list",
  webhook: "Webhook",
  exit: "Exit",
};

function Exits({ handles }: { handles: string[] }) {
  return (
    <div className="canvas-node-exits">
      {handles.map((handle, index) => (
        <Handle
          key={handle}
          id={handle}
          type="source"
          position={Position.Bottom}
          style={{ left: `${((index + 1) / (handles.length + 1)) * 100}%` }}
          aria-label={`${handle} exit`}
          title={handle === "next" || handle === "start" ? "Drag to the next step" : `Drag the ${handle} exit to a step`}
        >
          {handle === "next" || handle === "start" ? null : <span className="canvas-handle-label">{handle}</span>}
        </Handle>
      ))}
    </div>
  );
}

function className(data: CanvasNodeData, selected: boolean, kind: string) {
  return ["canvas-node", `canvas-node-${kind}`, data.invalid ? "canvas-node-invalid" : "", data.conflict ? "canvas-node-conflict" : "", selected ? "canvas-node-selected" : ""].filter(Boolean).join(" ");
}

export function TriggerNode({ data, selected }: NodeProps<CanvasNode>) {
  return (
    <div className={className(data, selected, "trigger")} data-testid="canvas-node-trigger">
      <strong>{data.title}</strong>
      <span>{data.summary}</span>
      <Exits handles={data.handles} />
    </div>
  );
}

export function StepNode({ id, data, selected }: NodeProps<CanvasNode>) {
  return (
    <div className={className(data, selected, "step")} data-testid={`canvas-node-${id}`} aria-invalid={data.invalid || undefined}>
      <Handle type="target" position={Position.Top} aria-label="entry" />
      <strong>{data.title}</strong>
      <span className="canvas-node-id">{id}</span>
      <span>{data.summary}</span>
      <Exits handles={data.handles} />
    </div>
  );
}

export const NODE_TYPES = { trigger: TriggerNode, step: StepNode };
