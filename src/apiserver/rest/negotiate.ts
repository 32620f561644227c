/**
 * Response negotiation for resource requests: JSON (or YAML) objects, or a meta.k8s.io Table
 * (`application/json;as=Table;v=v1;g=meta.k8s.io`, v1 or v1beta1) as kubectl asks for human
 * output. Anything we cannot produce is a 406 Status. Protobuf responses are not produced: every
 * client that asks for protobuf also accepts JSON (kubectl-wire.md §6.1).
 */
import { notAcceptable } from '../../api/errors.js';

export interface Negotiated {
  /** Table version when a Table was requested. */
  table?: 'v1' | 'v1beta1';
  yaml: boolean;
}

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  return accept.split(',').map((part) => {
    const [type, ...ps] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of ps) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim();
    }
    return { type: type.toLowerCase(), params };
  });
}

const jsonTypes = new Set(['application/json', '*/*', 'application/*']);

export function negotiate(accept: string | undefined): Negotiated {
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { yaml: false };
  for (const r of ranges) {
    if (
      r.params['as'] === 'Table' &&
      r.params['g'] === 'meta.k8s.io' &&
      (r.type === 'application/json' || r.type === 'application/yaml')
    ) {
      const v = r.params['v'];
      if (v === 'v1' || v === 'v1beta1') return { table: v, yaml: r.type === 'application/yaml' };
      continue;
    }
    if (r.params['as']) continue; // PartialObjectMetadata and others: fall through to plain objects
    if (jsonTypes.has(r.type)) return { yaml: false };
    if (r.type === 'application/yaml') return { yaml: true };
  }
  throw notAcceptable(
    'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
  );
}
