/**
 * Label and field selectors, after k8s.io/apimachinery/pkg/labels/selector.go and
 * pkg/fields/selector.go. Label selectors support `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k`, `!k`; field selectors support `f=v`, `f==v`, `f!=v` with `\` escapes.
 * Parse errors are 400 BadRequest with upstream-like messages.
 */
import { badRequest } from './errors.js';

export type LabelOp = 'in' | 'notin' | 'exists' | '!';

export interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

export type LabelSelector = LabelRequirement[];

const keyRe =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valueRe = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(k: string, sel: string): void {
  if (!keyRe.test(k) || k.length > 316)
    throw badRequest(`unable to parse requirement: invalid label key "${k}" in selector "${sel}"`);
}
function checkValue(v: string, sel: string): void {
  if (v.length > 63 || !valueRe.test(v))
    throw badRequest(`unable to parse requirement: invalid label value: "${v}" in selector "${sel}"`);
}

/** Splits on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export function parseLabelSelector(sel: string): LabelSelector {
  const reqs: LabelSelector = [];
  if (sel.trim() === '') return reqs;
  for (const raw of splitTerms(sel)) {
    const t = raw.trim();
    if (t === '')
      throw badRequest(`unable to parse requirement: found '', expected: identifier in selector "${sel}"`);
    let m: RegExpExecArray | null;
    if ((m = /^!\s*([^\s=!()]+)$/.exec(t))) {
      checkKey(m[1], sel);
      reqs.push({ key: m[1], op: '!', values: [] });
    } else if ((m = /^([^\s=!()]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(t))) {
      checkKey(m[1], sel);
      const values = m[3].split(',').map((v) => v.trim());
      values.forEach((v) => checkValue(v, sel));
      reqs.push({ key: m[1], op: m[2] as 'in' | 'notin', values });
    } else if ((m = /^([^\s=!()]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(t))) {
      checkKey(m[1], sel);
      checkValue(m[3], sel);
      reqs.push({ key: m[1], op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]] });
    } else if ((m = /^([^\s=!()]+)$/.exec(t))) {
      checkKey(m[1], sel);
      reqs.push({ key: m[1], op: 'exists', values: [] });
    } else {
      throw badRequest(`unable to parse requirement: found unexpected token in selector "${sel}"`);
    }
  }
  return reqs;
}

export function matchLabels(sel: LabelSelector, labels: Record<string, string> | undefined): boolean {
  for (const r of sel) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = has ? labels![r.key] : undefined;
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(v!)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(v!)) return false;
        break;
    }
  }
  return true;
}

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

function unescapeField(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** Parses a field selector; terms split on unescaped commas. */
export function parseFieldSelector(sel: string): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  if (sel.trim() === '') return out;
  const terms: string[] = [];
  let cur = '';
  for (let i = 0; i < sel.length; i++) {
    const c = sel[i];
    if (c === '\\' && i + 1 < sel.length) {
      cur += c + sel[++i];
    } else if (c === ',') {
      terms.push(cur);
      cur = '';
    } else cur += c;
  }
  terms.push(cur);
  for (const t of terms) {
    const m = /^((?:[^=!\\]|\\.)+?)\s*(==|=|!=)\s*(.*)$/.exec(t);
    if (!m) throw badRequest(`invalid selector: '${sel}'; can't understand '${t}'`);
    out.push({ field: m[1].trim(), op: m[2] === '!=' ? '!=' : '=', value: unescapeField(m[3]) });
  }
  return out;
}

export function matchFields(reqs: FieldRequirement[], get: (field: string) => string | undefined): boolean {
  for (const r of reqs) {
    const v = get(r.field) ?? '';
    if (r.op === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}
