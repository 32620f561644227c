/**
 * @module apiextensions/printer
 *
 * Table output of custom resources from a CRD version's additionalPrinterColumns, after
 * apiextensions-apiserver/pkg/registry/customresource/tableconvertor: a Name column, then one
 * column per printer column (type, format, priority, description — or "Custom resource
 * definition column (in JSONPath format): <path>"), or the single Age column on
 * `.metadata.creationTimestamp` when the CRD has none (serveDefaultColumnsIfEmpty). A cell is the
 * first JSONPath result: strings printed as jsonpath prints them for `string` columns, typed values
 * for integer/number/boolean, an age (`5m`) for date, null when missing or of another type.
 */
import type { KubeObject } from '../api/types.js';
import { translateTimestampSince } from '../registry/printers/duration.js';
import type { TableCell, TableColumn, TableConvertor } from '../registry/types.js';
import { evalJsonPath, goText, parseJsonPath, type CompiledJsonPath } from './jsonpath.js';
import type { CrdColumn } from './types.js';

const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const CREATED_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const AGE: CrdColumn = {
  name: 'Age',
  type: 'date',
  description: CREATED_DOC,
  jsonPath: '.metadata.creationTimestamp',
};

/** cellForJSONValue (dates become ages, as translateTimestampSince), plus jsonpath printing for `string`. */
function cell(type: string, v: unknown, now: Date): TableCell {
  if (v === undefined || v === null) return null;
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : goText(v);
    case 'integer':
      return typeof v === 'number' ? Math.trunc(v) : null;
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
    case 'date': {
      if (typeof v !== 'string') return null;
      const t = Date.parse(v);
      return Number.isNaN(t) ? '<invalid>' : translateTimestampSince(v, now);
    }
    default:
      return null;
  }
}

export function customTable(columns: readonly CrdColumn[]): TableConvertor {
  const cols = columns.length ? columns : [AGE];
  const compiled: { type: string; path: CompiledJsonPath | undefined }[] = cols.map((c) => {
    let path: CompiledJsonPath | undefined;
    try {
      path = parseJsonPath(c.jsonPath ?? '');
    } catch {
      path = undefined;
    }
    return { type: c.type ?? 'string', path };
  });
  const defs: TableColumn[] = [
    { name: 'Name', type: 'string', format: 'name', description: NAME_DOC, priority: 0 },
    ...cols.map((c) => ({
      name: c.name ?? '',
      type: c.type ?? 'string',
      format: c.format ?? '',
      description:
        c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath ?? ''}`,
      priority: c.priority ?? 0,
    })),
  ];
  return {
    columns: defs,
    rows(obj: KubeObject, now: Date) {
      const cells: TableCell[] = [obj.metadata?.name ?? ''];
      for (const c of compiled) cells.push(c.path ? cell(c.type, evalJsonPath(c.path, obj)[0], now) : null);
      return [{ cells }];
    },
  };
}
