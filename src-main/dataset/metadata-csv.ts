/**
 * AVSS `metadata.csv` (header `vid,uid,s_min,s_sec,a_obj,split,label`): strict parsing, row formatting and
 * merging. Merging keeps every existing record's bytes (including its line ending and any BOM) and only
 * substitutes the records whose uid is being re-exported, so a user's hand edits and other tools' rows survive.
 * A file that does not parse is refused with a one-line error rather than rewritten.
 */
export const METADATA_HEADER = ['vid', 'uid', 's_min', 's_sec', 'a_obj', 'split', 'label'] as const;

export interface MetadataRow {
  vid: string;
  uid: string;
  s_min: number;
  s_sec: number;
  a_obj: string;
  split: string;
  label: string;
}

interface RawRecord {
  /** Exact source text including its line terminator (if any). */
  raw: string;
  /** Parsed fields; empty for a blank line. */
  fields: string[];
}

export interface ParsedMetadata {
  bom: boolean;
  /** Line ending used when adding rows: the file's own (first terminator seen), default "\n". */
  eol: string;
  header: RawRecord;
  records: RawRecord[];
  /** Column holding the row key (AVSS: uid) and the expected header. */
  keyColumn: number;
  columns: string[];
}

export class MetadataCsvError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'MetadataCsvError';
  }
}

/** RFC 4180 records with their raw spans. Throws on an unterminated quote or text after a closing quote. */
function splitRecords(text: string, file: string): RawRecord[] {
  const records: RawRecord[] = [];
  let start = 0;
  let i = 0;
  let fields: string[] = [];
  let field = '';
  let line = 1;
  while (i <= text.length) {
    if (i === text.length) {
      if (i > start) records.push({ raw: text.slice(start), fields: [...fields, field] });
      break;
    }
    const ch = text[i]!;
    if (ch === '"' && field === '' && (i === start || text[i - 1] === ',')) {
      const close = (() => {
        for (let j = i + 1; j < text.length; j++) {
          if (text[j] === '"') {
            if (text[j + 1] === '"') j++;
            else return j;
          } else if (text[j] === '\n') line++;
        }
        return -1;
      })();
      if (close < 0) throw new MetadataCsvError(file, `line ${line}: unterminated quoted field`);
      field = text.slice(i + 1, close).replace(/""/g, '"');
      i = close + 1;
      if (i < text.length && !',\r\n'.includes(text[i]!)) throw new MetadataCsvError(file, `line ${line}: text after a closing quote`);
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      const end = ch === '\n' ? i + 1 : i + 2;
      const blank = fields.length === 0 && field === '';
      records.push({ raw: text.slice(start, end), fields: blank ? [] : [...fields, field] });
      fields = [];
      field = '';
      start = end;
      i = end;
      line++;
      continue;
    } else {
      field += ch;
    }
    i++;
  }
  return records;
}

/** Parses and checks the whole file; throws MetadataCsvError (one line, naming the file) when corrupt. */
export function parseMetadataCsv(bytes: Uint8Array, file: string): ParsedMetadata {
  return parseKeyedCsv(bytes, file, METADATA_HEADER, 1);
}

/**
 * Any of the dataset CSVs (AVSS metadata.csv, S4 s4_meta_data.csv, MS3 ms3_meta_data.csv): exact header, every
 * row with the header's column count and a non-empty key in column `keyColumn`.
 */
export function parseKeyedCsv(bytes: Uint8Array, file: string, expected: readonly string[], keyColumn: number): ParsedMetadata {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new MetadataCsvError(file, 'is not UTF-8 text (corrupt, refusing to overwrite it)');
  }
  const bom = text.startsWith('\ufeff');
  if (bom) text = text.slice(1);
  if (text.includes('\0')) throw new MetadataCsvError(file, 'contains NUL bytes (corrupt, refusing to overwrite it)');
  const all = splitRecords(text, file);
  const header = all[0];
  if (!header || header.fields.join(',') !== expected.join(',')) {
    throw new MetadataCsvError(file, `header must be "${expected.join(',')}" (refusing to overwrite a file of another kind)`);
  }
  const records = all.slice(1);
  records.forEach((r, n) => {
    if (r.fields.length !== 0 && r.fields.length !== expected.length) {
      throw new MetadataCsvError(file, `row ${n + 1} has ${r.fields.length} columns, expected ${expected.length} (corrupt, refusing to overwrite)`);
    }
    if (r.fields.length !== 0 && !r.fields[keyColumn]) throw new MetadataCsvError(file, `row ${n + 1} has an empty ${expected[keyColumn]} (corrupt, refusing to overwrite)`);
  });
  const eol = /\r\n$/.test(header.raw) ? '\r\n' : '\n';
  return { bom, eol, header, records, keyColumn, columns: [...expected] };
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function formatMetadataRow(row: MetadataRow): string {
  return [row.vid, row.uid, String(row.s_min), String(row.s_sec), row.a_obj, row.split, row.label].map(csvField).join(',');
}

/** Rows of a parsed file as objects (blank lines skipped). */
export function metadataRows(parsed: ParsedMetadata): MetadataRow[] {
  return parsed.records.filter((r) => r.fields.length > 0).map((r) => {
    const [vid, uid, sMin, sSec, aObj, split, label] = r.fields as [string, string, string, string, string, string, string];
    return { vid, uid, s_min: Number(sMin), s_sec: Number(sSec), a_obj: aObj, split, label };
  });
}

export interface MergeResult {
  text: string;
  added: number;
  replaced: number;
}

/**
 * New file text: existing records byte-for-byte, a record whose uid is in `rows` replaced in place (later
 * duplicates of that uid dropped), other new rows appended in order. `existing` undefined = new file.
 */
export function mergeMetadata(existing: ParsedMetadata | undefined, rows: readonly MetadataRow[]): MergeResult {
  return mergeKeyedCsv(existing, METADATA_HEADER, 1, rows.map((r) => [r.vid, r.uid, String(r.s_min), String(r.s_sec), r.a_obj, r.split, r.label]));
}

/** Rows (field arrays) of any keyed CSV, blank lines skipped. */
export function csvRows(parsed: ParsedMetadata): string[][] {
  return parsed.records.filter((r) => r.fields.length > 0).map((r) => r.fields);
}

/** mergeMetadata for any keyed CSV: rows are field arrays, keyed by column `keyColumn`. */
export function mergeKeyedCsv(existing: ParsedMetadata | undefined, header: readonly string[], keyColumn: number, rows: readonly string[][]): MergeResult {
  const eol = existing?.eol ?? '\n';
  const format = (fields: readonly string[]): string => fields.map(csvField).join(',');
  const pending = new Map<string, readonly string[]>();
  for (const row of rows) pending.set(row[keyColumn]!, row); // last one wins within one export
  const done = new Set<string>();
  let out = existing ? (existing.bom ? '\ufeff' : '') + existing.header.raw : header.join(',') + eol;
  if (!/\n$/.test(out)) out += eol;
  let replaced = 0;
  for (const r of existing?.records ?? []) {
    const key = r.fields[keyColumn];
    const row = key !== undefined ? pending.get(key) : undefined;
    if (!row) {
      out += r.raw;
      continue;
    }
    if (done.has(key!)) continue; // a duplicate of a replaced row: drop it
    const terminator = /\r?\n$/.exec(r.raw)?.[0] ?? eol;
    out += format(row) + terminator;
    done.add(key!);
    replaced++;
  }
  const additions = [...pending.entries()].filter(([key]) => !done.has(key));
  // Only touch the end of the file when something is appended after a last row that lacks a line ending.
  if (additions.length > 0 && !/\n$/.test(out)) out += eol;
  for (const [, row] of additions) out += format(row) + eol;
  return { text: out, added: additions.length, replaced };
}
