import { cutText } from "@/core/text/cut-text";
import { storableText } from "@/core/text/storable-text";

/** Characters a file name keeps at most (the longest name common file systems allow). */
export const IMPORT_FILE_NAME_MAX_CHARS = 255;

/**
 * An uploaded file's name as it is shown and stored: no directories, no control characters,
 * storable text, at most IMPORT_FILE_NAME_MAX_CHARS — cut between characters, never inside an
 * emoji — and "upload" when nothing is left.
 */
export function importFileName(name: string | undefined): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const clean = storableText(base.replace(/[\u0000-\u001f\u007f]/g, "")).trim();
  return cutText(clean, IMPORT_FILE_NAME_MAX_CHARS, "") || "upload";
}
