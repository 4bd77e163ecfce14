/** Reading a corpus: one text per line, a CSV column, or a JSONL field. DOM-free. */
export type CorpusFormat = 'lines' | 'csv' | 'jsonl';

/** Lines of a text, whatever the line ends: \r\n, \n, or a lone \r (old Mac files). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** The texts of a one-per-line box or file: trimmed, blank lines dropped. */
export function corpusLines(text: string): string[] {
  return splitLines(text).map((l) => l.trim()).filter(Boolean);
}

/**
 * A corpus file's bytes as text, or a one-line reason it is not text: NUL bytes (binary data)
 * or bytes that are not UTF-8. A UTF-8 byte-order mark is dropped.
 */
export function decodeCorpusBytes(bytes: Uint8Array, name = 'the file'): string {
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new Error(`${name} is not a text file: it has a NUL byte at byte ${nul + 1} (binary data?); give a UTF-8 .txt, .csv or .jsonl file`);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new Error(`${name} is not UTF-8 text (byte ${firstInvalidUtf8(bytes) + 1} is not valid UTF-8): save it as UTF-8 and load it again`);
  }
}

/** Index of the first byte that breaks UTF-8 (structure only: lead and continuation bytes). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let k = 0; k < bytes.length;) {
    const b = bytes[k];
    const extra = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (extra < 0) return k;
    for (let q = 1; q <= extra; q++) if (k + q >= bytes.length || (bytes[k + q] & 0xc0) !== 0x80) return k;
    k += extra + 1;
  }
  return bytes.length;
}

/** How many texts repeat an earlier one, and the texts with repeats dropped (first kept). */
export function duplicates(texts: readonly string[]): { repeats: number; unique: string[] } {
  const unique = [...new Set(texts)];
  return { repeats: texts.length - unique.length, unique };
}

export function formatOf(fileName: string): CorpusFormat {
  if (/\.csv$/i.test(fileName)) return 'csv';
  if (/\.jsonl$|\.ndjson$/i.test(fileName)) return 'jsonl';
  return 'lines';
}

/** One CSV field: quoted when it holds a quote, comma or newline (or always, if asked). */
export function csvField(s: string, always = false): string {
  return always || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV: quoted fields, "" escapes, newlines inside quotes, \r\n or \n. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (quoted) {
      if (c === '"' && text[k + 1] === '"') { field += '"'; k++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[k + 1] === '\n') k++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/** The columns a CSV offers (its header) or the string fields of a JSONL file's first records. */
export function fieldsOf(text: string, format: CorpusFormat): string[] {
  if (format === 'csv') return parseCsv(text.slice(0, 100_000))[0] ?? [];
  if (format === 'jsonl') {
    const fields = new Set<string>();
    for (const line of splitLines(text).filter((l) => l.trim()).slice(0, 20)) {
      try {
        const record = JSON.parse(line) as Record<string, unknown>;
        for (const [k, v] of Object.entries(record)) if (typeof v === 'string') fields.add(k);
      } catch {
        // reported by parseCorpus
      }
    }
    return [...fields];
  }
  return [];
}

/**
 * The texts of a corpus file. `field` is the CSV column (by header name) or JSONL key; blank
 * texts are dropped. Throws with a message naming the line or column at fault.
 */
export function parseCorpus(text: string, format: CorpusFormat, field?: string): string[] {
  if (format === 'lines') return corpusLines(text);
  if (format === 'csv') {
    const [header, ...rows] = parseCsv(text);
    if (!header) return [];
    const col = field === undefined ? 0 : header.indexOf(field);
    if (col < 0) throw new Error(`the CSV has no column "${field}" (columns: ${header.join(', ')})`);
    return rows.map((r) => (r[col] ?? '').trim()).filter(Boolean);
  }
  const out: string[] = [];
  splitLines(text).forEach((line, k) => {
    if (!line.trim()) return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      throw new Error(`line ${k + 1} is not valid JSON`);
    }
    const key = field ?? fieldsOf(line, 'jsonl')[0];
    const value = key === undefined ? undefined : (record as Record<string, unknown>)[key];
    if (typeof value !== 'string') throw new Error(`line ${k + 1} has no text field "${key ?? '(none)'}"`);
    if (value.trim()) out.push(value.trim());
  });
  return out;
}
