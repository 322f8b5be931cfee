"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { byteSize } from "@/core/assets/email-image-tag";
import { EMAIL_IMAGE_MAX_INPUT_BYTES } from "@/core/assets/email-image-rules";
import type { TemplateImage } from "@/lib/assets/template-images";
import { type CanvasPreview, insertCanvasImage, listCanvasImages } from "./canvas-actions";

/**
 * What the dashboard route may receive: the gate in proxy.ts passes on at most 10 MiB of a body,
 * so room is left for the multipart framing.
 */
const DASHBOARD_IMAGE_MAX_BYTES = Math.min(EMAIL_IMAGE_MAX_INPUT_BYTES, 10 * 1024 * 1024 - 16 * 1024);
const ACCEPT = "image/jpeg,image/png,image/gif,image/webp,image/avif,image/tiff";

type Upload = { fileName: string; sent: number; total: number };

/** Posts the file with XMLHttpRequest: fetch cannot report an upload's progress. */
function sendImage(url: string, file: File, onProgress: (sent: number, total: number) => void): Promise<{ status: number; body: { image?: TemplateImage; message?: string } }> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.responseType = "json";
    request.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    request.onload = () => resolve({ status: request.status, body: (request.response ?? {}) as { image?: TemplateImage; message?: string } });
    request.onerror = () => reject(new Error("The upload was interrupted: check the connection and try again."));
    const form = new FormData();
    form.append("file", file, file.name);
    request.send(form);
  });
}

function ImageRow({ image, onInsert, busy }: { image: TemplateImage; onInsert: (alt: string) => void; busy: boolean }) {
  const [alt, setAlt] = useState("");
  return (
    <li className="canvas-image" data-testid={`canvas-image-${image.id}`}>
      {/* The stored asset itself, already optimised, from PUBLIC_URL as mail shows it: next/image would only resize it again. */}
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img src={image.url} alt="" width={64} height={Math.max(1, Math.round((64 * image.height) / image.width))} loading="lazy" />
      <div className="canvas-image-facts">
        <strong title={image.fileName}>{image.fileName}</strong>
        <span>
          {image.width} × {image.height} · {image.contentType.replace("image/", "").toUpperCase()}
        </span>
        <span aria-label="Size before and after optimising">
          {byteSize(image.original.bytes)} → {byteSize(image.bytes)}
        </span>
        {image.inTemplate ? <span className="canvas-image-used">In the template</span> : null}
        <label className="canvas-field">
          <span>Alt text</span>
          <input value={alt} maxLength={250} placeholder="What the image shows" aria-label={`Alt text for ${image.fileName}`} onChange={(event) => setAlt(event.target.value)} />
        </label>
        <button type="button" disabled={busy} aria-label={`Insert ${image.fileName} into the template`} onClick={() => onInsert(alt)}>
          Insert into template
        </button>
      </div>
    </li>
  );
}

/**
 * An email step's images (issue 17): drop an image (or choose one, from the keyboard too) to
 * upload it — optimised and stored as POST /api/v1/assets does — then insert it into the step's
 * template with its alt text; the panel's preview then shows the new version.
 */
export function EmailImages(props: { workspaceId: string; journeyId: string; stepId: string; templateId: string; onInserted: (preview: CanvasPreview) => void }) {
  const { workspaceId, journeyId, stepId, templateId, onInserted } = props;
  const [images, setImages] = useState<TemplateImage[] | null>(null);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [message, setMessage] = useState<{ kind: "problem" | "status"; text: string } | null>(null);
  const [dragging, setDragging] = useState(false);
  const [inserting, setInserting] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const reload = useCallback(() => {
    let current = true;
    listCanvasImages({ workspaceId, journeyId, templateId })
      .then((found) => current && setImages(found))
      .catch(() => current && setMessage({ kind: "problem", text: "The images could not be loaded." }));
    return () => {
      current = false;
    };
  }, [journeyId, templateId, workspaceId]);
  useEffect(() => reload(), [reload]);

  async function uploadFile(file: File) {
    setMessage(null);
    if (file.size > DASHBOARD_IMAGE_MAX_BYTES) {
      setMessage({ kind: "problem", text: `${file.name} is ${byteSize(file.size)}: images up to ${byteSize(DASHBOARD_IMAGE_MAX_BYTES)} are accepted.` });
      return;
    }
    setUpload({ fileName: file.name, sent: 0, total: file.size });
    try {
      const url = `/journeys/${encodeURIComponent(journeyId)}/edit/images?workspace=${encodeURIComponent(workspaceId)}`;
      const { status, body } = await sendImage(url, file, (sent, total) => setUpload({ fileName: file.name, sent, total }));
      if (!body.image) {
        setMessage({ kind: "problem", text: body.message ?? `The upload failed (HTTP ${status}).` });
        return;
      }
      const image = body.image;
      setMessage({ kind: "status", text: status === 201 ? `${file.name} uploaded: ${byteSize(image.original.bytes)} → ${byteSize(image.bytes)}.` : `${file.name} was uploaded before: the same image is listed.` });
      reload();
    } catch (error) {
      setMessage({ kind: "problem", text: error instanceof Error ? error.message : "The upload failed." });
    } finally {
      setUpload(null);
      if (input.current) input.current.value = "";
    }
  }

  async function insert(image: TemplateImage, alt: string) {
    setInserting(true);
    setMessage(null);
    try {
      const preview = await insertCanvasImage({ workspaceId, journeyId, stepId, templateId, assetId: image.id, alt });
      if (!preview.ok) setMessage({ kind: "problem", text: preview.message });
      else setMessage({ kind: "status", text: `${image.fileName} is in the template: the preview shows the new version.` });
      onInserted(preview);
      reload();
    } catch {
      setMessage({ kind: "problem", text: "The image could not be inserted: try again." });
    } finally {
      setInserting(false);
    }
  }

  return (
    <section className="canvas-images" aria-label="Images">
      <h4>Images</h4>
      <div
        className={`canvas-dropzone${dragging ? " canvas-dropzone-active" : ""}`}
        data-testid="image-dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          const file = event.dataTransfer.files[0];
          if (file) void uploadFile(file);
        }}
      >
        <p>Drop an image here: it is resized to 1200 px wide at most and compressed.</p>
        <label className="canvas-field">
          <span>Or choose one</span>
          <input ref={input} type="file" accept={ACCEPT} aria-label="Choose an image" disabled={!!upload} onChange={(event) => event.target.files?.[0] && void uploadFile(event.target.files[0])} />
        </label>
      </div>
      {upload ? (
        <p className="muted">
          Uploading {upload.fileName}… <progress aria-label="Upload progress" max={upload.total || 1} value={upload.sent} />
        </p>
      ) : null}
      {message ? (
        <p role={message.kind === "problem" ? "alert" : "status"} className={message.kind === "problem" ? "problem" : "muted"}>
          {message.text}
        </p>
      ) : null}
      {images === null ? (
        <p className="muted">Loading images…</p>
      ) : images.length === 0 ? (
        <p className="muted">No images yet.</p>
      ) : (
        <ul className="canvas-image-list" aria-label="Template images">
          {images.map((image) => (
            <ImageRow key={image.id} image={image} busy={inserting} onInsert={(alt) => void insert(image, alt)} />
          ))}
        </ul>
      )}
    </section>
  );
}
