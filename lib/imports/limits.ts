/**
 * Caps on what an import file may contain. Every cap is checked while streaming, so breaching
 * one costs at most one pass over the file, never memory proportional to it.
 */
const MIB = 1024 * 1024;

/** Largest upload accepted, CSV or XLSX. */
export const IMPORT_MAX_FILE_BYTES = 100 * MIB;
/** Data records (the header and blank rows excluded). */
export const IMPORT_MAX_ROWS = 1_000_000;
/** Columns in the header row. */
export const IMPORT_MAX_COLUMNS = 200;
/** One cell; a longer value is a row error for that row, not a fatal error. */
export const IMPORT_MAX_CELL_CHARS = 10_000;
/**
 * One CSV record as the parser buffers it. Far above columns × cell chars of any sane row, so
 * it only trips on runaway quoting (an unclosed quote swallowing the rest of the file).
 */
export const IMPORT_MAX_RECORD_CHARS = 16 * MIB;

/** XLSX zip guards, checked against the central directory before anything is inflated. */
export const IMPORT_ZIP_MAX_ENTRIES = 10_000;
export const IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES = 2 * 1024 * MIB;
/** Deflate tops out near 1032:1; real sheets are 5–50:1, sparse ones rarely above 150:1. */
export const IMPORT_ZIP_MAX_COMPRESSION_RATIO = 200;
/** The ratio check ignores entries smaller than this (tiny XML parts compress absurdly well). */
export const IMPORT_ZIP_RATIO_MIN_ENTRY_BYTES = 1 * MIB;
/** Workbook metadata parts (workbook.xml, its rels) read whole into memory. */
export const IMPORT_ZIP_MAX_METADATA_BYTES = 8 * MIB;

/** Bytes sampled to decide a CSV's encoding and dialect. */
export const IMPORT_SNIFF_SAMPLE_BYTES = 64 * 1024;
