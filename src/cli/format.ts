/** Rows out as JSON lines, CSV (a header, then one line per row) or one JSON array, streamed. */
import { csvField } from '../corpus/parse';
import type { Sink } from './io';

export type RowFormat = 'json' | 'jsonl' | 'csv';

/** One CSV cell: numbers in full precision, text quoted when needed, lists joined by ';', NaN and null empty. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'string') return csvField(value);
  if (Array.isArray(value)) return csvField(value.join(';'));
  if (typeof value === 'object') return csvField(JSON.stringify(value));
  return String(value);
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\n`;
}

/** A JSON line (NaN becomes null, as JSON has no NaN). */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

export class RowWriter {
  private rows = 0;

  constructor(private readonly sink: Sink, private readonly format: RowFormat, private readonly columns: readonly string[]) {}

  async row(record: Record<string, unknown>): Promise<void> {
    const first = this.rows++ === 0;
    if (this.format === 'csv') {
      await this.sink.write(`${first ? csvLine(this.columns) : ''}${csvLine(this.columns.map((c) => record[c]))}`);
    } else if (this.format === 'jsonl') {
      await this.sink.write(jsonLine(record));
    } else {
      await this.sink.write(`${first ? '[\n' : ',\n'}${JSON.stringify(record)}`);
    }
  }

  /** Closes the JSON array (or writes the CSV header when there were no rows). */
  async end(): Promise<void> {
    if (this.format === 'json') await this.sink.write(this.rows ? '\n]\n' : '[]\n');
    else if (this.format === 'csv' && !this.rows) await this.sink.write(csvLine(this.columns));
  }
}
