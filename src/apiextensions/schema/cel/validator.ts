/**
 * @module apiextensions/schema/cel/validator
 *
 * Evaluation of x-kubernetes-validations rules over a value, as upstream's cel.Validator
 * (pkg/apiserver/schema/cel/validation.go):
 * - rules of a schema run on the value at that schema (`self`), depth first, parents first;
 * - transition rules (using `oldSelf`) run only when the old value correlates: same property,
 *   same key of a map (granular and atomic maps both correlate, MapIsCorrelatable), same keys of
 *   a `x-kubernetes-list-type: map` item;
 * - a false result gives `Invalid value: "<type>": <message>` (message, messageExpression, or
 *   `failed rule: <rule>`), or Required / Forbidden / Duplicate per `reason`, at the path
 *   extended by `fieldPath`; an evaluation error gives
 *   `Invalid value: "<type>": <error> evaluating rule: <message, or the rule>`.
 * - `optionalOldSelf: true` rules also run on create, with `oldSelf` an optional (`hasValue()`,
 *   `value()`, `orValue()`);
 * - ratcheting: on update, rules without `oldSelf` are skipped where the value equals its
 *   correlated old value.
 * The root's path is rendered `<nil>`, as upstream's nil field.Path.
 */
import { isCelError, type CelInput, type CelResult } from '@bufbuild/cel';
import type { FieldError } from '../../../api/errors.js';
import { canonicalJson, jsonEqual } from '../openapi.js';
import { additionalSchema, isObject, type Structural } from '../structural.js';
import { resolveFieldPath } from './field-path.js';
import { celOptional } from './library-net.js';
import { compileRule, type CompiledRule } from './rules.js';
import { toCel } from './values.js';

export interface CelValidator {
  /**
   * Validates `x` (and `old`, undefined on create) at `path` ('' = the resource root).
   * `ratchet` (default true) skips non-transition rules on values equal to their old value.
   */
  validate(x: unknown, old: unknown, path: string, ratchet?: boolean): FieldError[];
}

const hasRules = new WeakMap<Structural, boolean>();
function anyRules(s: Structural | undefined): boolean {
  if (!s) return false;
  const hit = hasRules.get(s);
  if (hit !== undefined) return hit;
  const add = additionalSchema(s);
  const r =
    s.validations.length > 0 ||
    anyRules(s.items) ||
    (add !== undefined && anyRules(add)) ||
    [...(s.properties?.values() ?? [])].some(anyRules);
  hasRules.set(s, r);
  return r;
}

/** A validator for `s` and everything below it; undefined when there are no rules. */
export function celValidatorFor(s: Structural): CelValidator | undefined {
  if (!anyRules(s)) return undefined;
  return { validate: (x, old, path, ratchet = true) => validateNode(x, old, s, path, ratchet) };
}

const render = (path: string): string => path || '<nil>';
const child = (p: string, k: string): string => (p ? `${p}.${k}` : k);

function validateNode(x: unknown, old: unknown, s: Structural, path: string, ratchet: boolean): FieldError[] {
  if (x === null || x === undefined || !anyRules(s)) return [];
  const errs: FieldError[] = [];
  if (s.validations.length > 0) errs.push(...runRules(x, old, s, path, ratchet));
  if (Array.isArray(x) && s.items) {
    const oldByKey = correlateList(s, old);
    x.forEach((item, i) =>
      errs.push(...validateNode(item, oldByKey?.(item), s.items as Structural, `${path}[${i}]`, ratchet)),
    );
  } else if (isObject(x)) {
    const oldObj = isObject(old) ? old : undefined;
    const add = additionalSchema(s);
    for (const [k, v] of Object.entries(x)) {
      const prop = s.properties?.get(k);
      if (prop) errs.push(...validateNode(v, oldObj?.[k], prop, child(path, k), ratchet));
      else if (add) {
        const o = oldObj?.[k];
        errs.push(...validateNode(v, o, add, `${path}[${k}]`, ratchet));
      }
    }
  }
  return errs;
}

function correlateList(s: Structural, old: unknown): ((item: unknown) => unknown) | undefined {
  if (s.listType !== 'map' || !Array.isArray(old) || !s.listMapKeys?.length) return undefined;
  const keys = s.listMapKeys;
  const keyOf = (v: unknown): string | undefined =>
    isObject(v) ? canonicalJson(keys.map((k) => v[k] ?? defaultOf(s.items, k) ?? null)) : undefined;
  const byKey = new Map<string, unknown>();
  for (const o of old) {
    const k = keyOf(o);
    if (k !== undefined) byKey.set(k, o);
  }
  return (item) => {
    const k = keyOf(item);
    return k === undefined ? undefined : byKey.get(k);
  };
}

function defaultOf(s: Structural | undefined, k: string): unknown {
  return s?.properties?.get(k)?.defaultValue;
}

/** @bufbuild/cel's runtime error texts in cel-go's words. */
function celErrorText(e: Error): string {
  const m = /^field not found: (.*)$/.exec(e.message);
  if (m) return `no such key: ${m[1]}`;
  if (e.message.startsWith('found no matching overload')) return 'no such overload';
  if (/divide by zero/.test(e.message)) return 'division by zero';
  if (/modulus by zero/.test(e.message)) return 'modulus by zero';
  return e.message;
}

function runRules(x: unknown, old: unknown, s: Structural, path: string, ratchet: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const self = toCel(x, s);
  let oldSelf: CelInput | undefined;
  const hasOld = old !== undefined && old !== null;
  if (hasOld) oldSelf = toCel(old, s);
  for (const rule of s.validations) {
    const c = compileRule(rule, s, path === '');
    if (!c.program) continue;
    const optional = c.usesOldSelf && c.rule.optionalOldSelf === true;
    if (c.usesOldSelf && !hasOld && !optional) continue;
    // ratcheting: a rule that does not read oldSelf is not re-checked on an unchanged value
    if (ratchet && !c.usesOldSelf && hasOld && jsonEqual(x, old)) continue;
    const vars = optional
      ? { self, oldSelf: celOptional(hasOld ? oldSelf : undefined) }
      : hasOld
        ? { self, oldSelf: oldSelf as CelInput }
        : { self };
    let r: CelResult;
    try {
      r = c.program(vars);
    } catch (e) {
      r = e as CelResult;
    }
    if (r === true) continue;
    const value = s.type;
    if (r instanceof Error || isCelError(r)) {
      errs.push({
        type: 'FieldValueInvalid',
        field: render(path),
        value,
        detail: `${celErrorText(r as Error)} evaluating rule: ${ruleString(c)}`,
      });
      continue;
    }
    if (r !== false) {
      errs.push({
        type: 'FieldValueInvalid',
        field: render(path),
        value,
        detail: `rule did not evaluate to a bool evaluating rule: ${ruleString(c)}`,
      });
      continue;
    }
    let fieldPath = path;
    if (rule.fieldPath) {
      const rel = resolveFieldPath(rule.fieldPath, s);
      if (rel !== undefined) fieldPath = rel.startsWith('.') && !path ? rel.slice(1) : `${path}${rel}`;
    }
    errs.push(errorForReason(render(fieldPath), value, messageOf(c, vars), rule.reason));
  }
  return errs;
}

/** ruleErrorString: the message when there is one, else the rule. */
function ruleString(c: CompiledRule): string {
  return c.rule.message ? c.rule.message.trim() : c.rule.rule.trim();
}

function messageOf(c: CompiledRule, vars: { self: CelInput; oldSelf?: CelInput }): string {
  if (c.messageProgram) {
    try {
      const m = c.messageProgram(vars);
      const t = typeof m === 'string' ? m.trim() : '';
      // upstream falls back to the message / rule when the result is empty, too long or multi-line
      if (t && t.length <= 5120 && !/\n/.test(t)) return t;
    } catch {
      // upstream falls back to message / the rule when messageExpression fails
    }
  }
  if (c.rule.message) return c.rule.message.trim();
  return `failed rule: ${ruleString(c)}`;
}

function errorForReason(
  field: string,
  value: unknown,
  detail: string,
  reason: string | undefined,
): FieldError {
  switch (reason) {
    case 'FieldValueForbidden':
      return { type: 'FieldValueForbidden', field, detail };
    case 'FieldValueRequired':
      return { type: 'FieldValueRequired', field, detail };
    case 'FieldValueDuplicate':
      return { type: 'FieldValueDuplicate', field, value };
    default:
      return { type: 'FieldValueInvalid', field, value, detail };
  }
}
