/**
 * @module registry/printers/columns
 *
 * Column builders and cell formatters shared by the per-kind Table convertors, after
 * pkg/printers/internalversion/printers.go (layoutContainerCells, printBoolPtr, access modes),
 * apimachinery labels.FormatLabels and metav1.FormatLabelSelector, and the default convertor of
 * k8s.io/apiserver/pkg/registry/rest/table.go (Name, Created At).
 */
import type { KubeObject } from '../../api/types.js';
import type { TableCell, TableColumn, TableConvertor, TableRow } from '../types.js';
import { arr, at, isSet, obj, objs, str, strMap } from '../util.js';
import { translateTimestampSince } from './duration.js';

/** doc(ObjectMeta.name), the NAME column's description. */
export const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** doc(ObjectMeta.creationTimestamp), the AGE / Created At column's description. */
export const CREATION_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** A column; `wide` columns have priority 1 (kubectl shows them only with `-o wide`). */
export function col(name: string, type: string, description: string, wide = false, format = ''): TableColumn {
  return { name, type, format, description, priority: wide ? 1 : 0 };
}

/** `Name(string, name)`. */
export const nameCol = (): TableColumn => col('Name', 'string', NAME_DOC, false, 'name');

/** `Age(string)`. */
export const ageCol = (): TableColumn => col('Age', 'string', CREATION_DOC);

/** `Containers[w]` and `Images[w]` of the workload printers. */
export const containerCols = (): TableColumn[] => [
  col('Containers', 'string', 'Names of each container in the template.', true),
  col('Images', 'string', 'Images referenced by each container in the template.', true),
];

/** `Selector[w]`. */
export const selectorCol = (description = 'Label selector for pods.'): TableColumn =>
  col('Selector', 'string', description, true);

/** metadata.name of an object. */
export const nameOf = (o: KubeObject): string => str(o.metadata?.name);

/** The AGE cell: translateTimestampSince(creationTimestamp). */
export const ageOf = (o: KubeObject, now: Date): string =>
  translateTimestampSince(o.metadata?.creationTimestamp, now);

/** A single-row convertor from a cell function. */
export function table(
  columns: TableColumn[],
  cells: (o: KubeObject, now: Date) => TableCell[],
): TableConvertor {
  return { columns, rows: (o, now) => [{ cells: cells(o, now) }] };
}

/** layoutContainerCells: container names and images, each joined with ",". */
export function containerCells(podSpec: unknown): [string, string] {
  const cs = objs(obj(podSpec).containers);
  return [cs.map((c) => str(c.name)).join(','), cs.map((c) => str(c.image)).join(',')];
}

/** labels.FormatLabels: sorted `k=v` joined with ","; `<none>` when empty. */
export function formatLabels(m: unknown): string {
  const entries = Object.entries(strMap(m))
    .map(([k, v]) => `${k}=${v}`)
    .sort();
  return entries.length ? entries.join(',') : '<none>';
}

const lexi = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The string form of a metav1.LabelSelector (LabelSelectorAsSelector(...).String()): requirements
 * sorted by key, values sorted; '' for nil/empty; undefined for an invalid operator.
 */
export function labelSelectorString(selector: unknown): string | undefined {
  if (!isSet(selector)) return '';
  const s = obj(selector);
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(strMap(s.matchLabels))) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of objs(s.matchExpressions)) {
    const key = str(e.key);
    const values = [...new Set(arr(e.values).map(str))].sort(lexi).join(',');
    switch (str(e.operator)) {
      case 'In':
        reqs.push({ key, text: `${key} in (${values})` });
        break;
      case 'NotIn':
        reqs.push({ key, text: `${key} notin (${values})` });
        break;
      case 'Exists':
        reqs.push({ key, text: key });
        break;
      case 'DoesNotExist':
        reqs.push({ key, text: `!${key}` });
        break;
      default:
        return undefined;
    }
  }
  return reqs
    .sort((a, b) => lexi(a.key, b.key))
    .map((r) => r.text)
    .join(',');
}

/** metav1.FormatLabelSelector: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(selector: unknown): string {
  const s = labelSelectorString(selector);
  return s === undefined ? '<error>' : s || '<none>';
}

/** printBoolPtr: `True`, `False` or `<unset>`. */
export function boolPtr(v: unknown): string {
  return typeof v === 'boolean' ? (v ? 'True' : 'False') : '<unset>';
}

/** An IntOrString as text (`2`, `50%`). */
export function intOrString(v: unknown): string {
  return typeof v === 'number' ? String(v) : str(v);
}

/** `s`, or `fallback` when it is empty. */
export const orElse = (s: unknown, fallback: string): string => str(s) || fallback;

/** GetAccessModesAsString: de-duplicated in the order RWO, ROX, RWX, RWOP, joined with ",". */
export function accessModes(modes: unknown): string {
  const have = new Set(arr(modes).map(str));
  const order: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return order
    .filter(([m]) => have.has(m))
    .map(([, short]) => short)
    .join(',');
}

/** Quantity text; stored quantities are printed as written (missing → `0`). */
export function quantity(v: unknown): string {
  return typeof v === 'number' ? String(v) : str(v) || '0';
}

/** The conditions of `status` whose type is `type` (first match), or undefined. */
export function findCondition(conditions: unknown, type: string): Record<string, unknown> | undefined {
  return objs(conditions).find((c) => c.type === type);
}

/** The creation timestamp as RFC 3339 in UTC, seconds precision (metav1.Time JSON). */
function createdAt(o: KubeObject): string {
  const ts = o.metadata?.creationTimestamp;
  const t = typeof ts === 'string' ? Date.parse(ts) : NaN;
  if (Number.isNaN(t)) return '0001-01-01T00:00:00Z';
  return new Date(Math.trunc(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * rest.NewDefaultTableConvertor: Name and Created At, for kinds without a printer (LimitRange,
 * Role, ClusterRole ...). Note upstream gives `rows: null` for an empty list with this convertor.
 */
export const defaultTable: TableConvertor = {
  columns: [nameCol(), col('Created At', 'date', CREATION_DOC)],
  rows: (o): TableRow[] => [{ cells: [nameOf(o), createdAt(o)] }],
};

/** The value at a path, as a string (helper for concise cell code). */
export const s = (v: unknown, ...keys: string[]): string => str(at(v, ...keys));
