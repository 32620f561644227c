/**
 * A CSV reader with the semantics of Go's encoding/csv `Reader` as the token and password files
 * use it (FieldsPerRecord = -1, no comments, strict quotes): records of any length, `""` inside a
 * quoted field is a quote, blank lines are skipped, `\r\n` counts as `\n`, and the errors carry
 * Go's text (`parse error on line 3, column 7: bare " in non-quoted field`).
 */

export class CsvParseError extends Error {
  constructor(
    readonly startLine: number,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(
      startLine !== line
        ? `record on line ${startLine}; parse error on line ${line}, column ${column}: ${reason}`
        : `parse error on line ${line}, column ${column}: ${reason}`,
    );
  }
}

export const ERR_BARE_QUOTE = 'bare " in non-quoted field';
export const ERR_QUOTE = 'extraneous or missing " in quoted-field';

export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  fields: string[];
}

/** Parses the whole text; throws CsvParseError on the first malformed record. */
export function parseCsv(text: string): CsvRecord[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const out: CsvRecord[] = [];
  let i = 0;
  while (i < lines.length) {
    const startLine = i + 1;
    if (lines[i] === '') {
      i++;
      continue;
    }
    const fields: string[] = [];
    let line = lines[i];
    let lineNo = i + 1;
    let pos = 0;
    for (;;) {
      if (line[pos] !== '"') {
        // Non-quoted field: up to the next comma or the end of the line.
        const end = line.indexOf(',', pos);
        const field = end < 0 ? line.slice(pos) : line.slice(pos, end);
        const q = field.indexOf('"');
        if (q >= 0) throw new CsvParseError(startLine, lineNo, columnOf(line, pos + q), ERR_BARE_QUOTE);
        fields.push(field);
        if (end < 0) break;
        pos = end + 1;
        continue;
      }
      // Quoted field: may span lines.
      let value = '';
      pos++;
      for (;;) {
        const q = line.indexOf('"', pos);
        if (q < 0) {
          value += line.slice(pos) + '\n';
          i++;
          // Go accepts a quoted field cut off by the end of the input (errRead is io.EOF).
          if (i >= lines.length) {
            pos = line.length;
            break;
          }
          line = lines[i];
          lineNo = i + 1;
          pos = 0;
          continue;
        }
        value += line.slice(pos, q);
        const next = line[q + 1];
        if (next === '"') {
          value += '"';
          pos = q + 2;
        } else if (next === ',' || next === undefined) {
          pos = q + 1;
          break;
        } else {
          throw new CsvParseError(startLine, lineNo, columnOf(line, q + 1), ERR_QUOTE);
        }
      }
      fields.push(value);
      if (pos >= line.length) break;
      pos++; // the comma
      if (pos === line.length) {
        fields.push('');
        break;
      }
    }
    out.push({ line: startLine, fields });
    i++;
  }
  return out;
}

/** Go reports 1-based byte columns. */
function columnOf(line: string, index: number): number {
  return Buffer.byteLength(line.slice(0, index), 'utf8') + 1;
}
