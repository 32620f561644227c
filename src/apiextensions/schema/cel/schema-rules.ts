/**
 * @module apiextensions/schema/cel/schema-rules
 *
 * CRD-time checks of every x-kubernetes-validations rule in a schema (the CEL part of upstream's
 * ValidateCustomResourceDefinitionOpenAPISchema): rules and messageExpressions compile
 * (`Invalid value: <rule>: compilation failed: ...`), `fieldPath` resolves
 * (`fieldPath must be a valid path`), `oldSelf` is only used where old values correlate
 * (`oldSelf cannot be used on the uncorrelatable portion of the schema within <path>`), and
 * `optionalOldSelf` is only set on transition rules.
 */
import type { FieldError } from '../../../api/errors.js';
import { childPath, forbidden, indexPath, invalid, keyPath } from '../paths.js';
import { toStructural, type Structural } from '../structural.js';
import type { JSONSchemaProps } from '../index.js';
import { resolveFieldPath } from './field-path.js';
import {
  cardinality,
  costErrorMessage,
  maxSize,
  STATIC_ESTIMATED_COST_LIMIT,
  STATIC_ESTIMATED_CRD_COST_LIMIT,
} from './cost.js';
import { compileRule } from './rules.js';

export function celRuleErrors(schema: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const root = toStructural(schema);
  const total = { cost: 0 };
  walk(root, path, undefined, errs, root, 1, total);
  if (errs.length === 0 && total.cost > STATIC_ESTIMATED_CRD_COST_LIMIT) {
    errs.push(
      forbidden(
        path,
        costErrorMessage(
          'x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema',
          total.cost,
          STATIC_ESTIMATED_CRD_COST_LIMIT,
        ),
      ),
    );
  }
  return errs;
}

function walk(
  s: Structural,
  p: string,
  uncorrelatable: string | undefined,
  errs: FieldError[],
  root: Structural,
  ancestors: number,
  total: { cost: number },
): void {
  const card = cardinality(s, ancestors);
  s.validations.forEach((rule, i) => {
    const rp = indexPath(childPath(p, 'x-kubernetes-validations'), i);
    const raw = (s.raw['x-kubernetes-validations'] as unknown[])[i];
    if (rule.fieldPath && rule.fieldPath.trim() && resolveFieldPath(rule.fieldPath, s) === undefined) {
      errs.push(invalid(childPath(rp, 'fieldPath'), rule.fieldPath, 'fieldPath must be a valid path'));
    }
    if (!rule.rule.trim()) return;
    const c = compileRule(rule, s, s === root);
    if (c.program) {
      const cost = c.cost * card;
      if (cost > STATIC_ESTIMATED_COST_LIMIT) {
        errs.push(
          forbidden(
            childPath(rp, 'rule'),
            costErrorMessage('estimated rule cost', cost, STATIC_ESTIMATED_COST_LIMIT),
          ),
        );
      }
      total.cost += cost;
    }
    if (c.messageProgram && c.messageCost * card > STATIC_ESTIMATED_COST_LIMIT) {
      errs.push(
        forbidden(
          childPath(rp, 'messageExpression'),
          costErrorMessage(
            'estimated messageExpression cost',
            c.messageCost * card,
            STATIC_ESTIMATED_COST_LIMIT,
          ),
        ),
      );
    }
    if (c.error) errs.push(invalid(childPath(rp, 'rule'), raw, c.error));
    if (c.messageError) errs.push(invalid(childPath(rp, 'messageExpression'), raw, c.messageError));
    if (c.program && c.usesOldSelf && uncorrelatable !== undefined) {
      errs.push(
        invalid(
          childPath(rp, 'rule'),
          rule.rule,
          `oldSelf cannot be used on the uncorrelatable portion of the schema within ${uncorrelatable}`,
        ),
      );
    } else if (c.program && !c.usesOldSelf && rule.optionalOldSelf !== undefined) {
      errs.push(
        invalid(
          childPath(rp, 'optionalOldSelf'),
          rule.optionalOldSelf,
          'may not be set if oldSelf is not used in rule',
        ),
      );
    }
  });
  // maps correlate whatever their x-kubernetes-map-type (MapIsCorrelatable: granular, atomic)
  const mapU =
    uncorrelatable ?? (s.mapType && s.mapType !== 'granular' && s.mapType !== 'atomic' ? p : undefined);
  for (const [k, sub] of s.properties ?? [])
    walk(sub, keyPath(childPath(p, 'properties'), k), mapU, errs, root, card, total);
  if (s.additionalProperties && s.additionalProperties !== true) {
    walk(
      s.additionalProperties,
      childPath(p, 'additionalProperties'),
      mapU,
      errs,
      root,
      card * maxSize(s),
      total,
    );
  }
  if (s.items) {
    const u = uncorrelatable ?? (s.listType !== 'map' ? p : undefined);
    walk(s.items, childPath(p, 'items'), u, errs, root, card * maxSize(s), total);
  }
}
