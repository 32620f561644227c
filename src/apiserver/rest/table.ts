/**
 * Table output (meta.k8s.io/v1 Table) for `kubectl get`, after
 * k8s.io/apiserver/pkg/registry/rest/table.go and pkg/endpoints/handlers/response.go
 * (printers.md §1): the server always generates wide output; each row's `object` is a
 * PartialObjectMetadata in the Table's group version; kinds without a printer get the default
 * Name / Created At columns and `rows: null` when empty.
 */
import { badRequest } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import type { ResourceDescriptor, TableColumn, TableRow } from '../../registry/types.js';

const nameDoc =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const createdDoc =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const defaultColumns: TableColumn[] = [
  { name: 'Name', type: 'string', format: 'name', description: nameDoc, priority: 0 },
  { name: 'Created At', type: 'date', format: '', description: createdDoc, priority: 0 },
];

export type IncludeObject = 'Metadata' | 'Object' | 'None';

export function includeObjectOf(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject') ?? '';
  if (v === '' || v === 'Metadata') return 'Metadata';
  if (v === 'Object' || v === 'None') return v;
  throw badRequest(
    `Unable to convert to Table as requested: includeObject: Invalid value: "${v}": must be 'Metadata', 'Object', 'None', or empty`,
  );
}

function rowsFor(desc: ResourceDescriptor, obj: KubeObject, now: Date): TableRow[] {
  if (desc.table) return desc.table.rows(obj, now);
  return [{ cells: [obj.metadata?.name ?? '', obj.metadata?.creationTimestamp ?? '0001-01-01T00:00:00Z'] }];
}

export interface TableOptions {
  version: 'v1' | 'v1beta1';
  include: IncludeObject;
  noHeaders?: boolean;
  now: Date;
  /** The object as the request's version shows it, for `includeObject=Object` rows. */
  served?: (obj: KubeObject) => KubeObject;
}

export function buildTable(
  desc: ResourceDescriptor,
  objects: KubeObject[],
  listMeta: Record<string, unknown>,
  opts: TableOptions,
): Record<string, unknown> {
  const apiVersion = `meta.k8s.io/${opts.version}`;
  const rows: Record<string, unknown>[] = [];
  for (const obj of objects) {
    for (const r of rowsFor(desc, obj, opts.now)) {
      const row: Record<string, unknown> = { cells: r.cells };
      if (r.conditions) row.conditions = r.conditions;
      if (opts.include === 'Metadata')
        row.object = { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata };
      else if (opts.include === 'Object') row.object = opts.served ? opts.served(obj) : obj;
      rows.push(row);
    }
  }
  return {
    kind: 'Table',
    apiVersion,
    metadata: listMeta,
    columnDefinitions: opts.noHeaders ? null : (desc.table?.columns ?? defaultColumns),
    rows: rows.length === 0 && !desc.table ? null : rows,
  };
}
