/**
 * A file-level problem no retry can fix: the import fails with `message` shown to the user.
 * The importer should wrap it in Inngest's NonRetriableError.
 */
export type ImportFileErrorCode =
  | "file_not_found"
  | "file_too_large"
  | "empty_file"
  | "header_only"
  | "unsupported_type"
  | "unreadable_encoding"
  | "malformed_csv"
  | "malformed_xlsx"
  | "record_too_large"
  | "too_many_rows"
  | "too_many_columns"
  | "zip_too_many_entries"
  | "zip_too_large"
  | "zip_compression_ratio"
  | "zip_invalid"
  | "sheet_not_found"
  | "invalid_mapping"
  | "invalid_cursor";

export class ImportFileError extends Error {
  override readonly name = "ImportFileError";

  constructor(
    readonly code: ImportFileErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isImportFileError(error: unknown): error is ImportFileError {
  return error instanceof ImportFileError;
}
