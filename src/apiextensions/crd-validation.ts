/**
 * @module apiextensions/crd-validation
 *
 * Validation of CustomResourceDefinition objects (apiextensions.k8s.io/v1), after upstream's
 * staging/src/k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation/validation.go:
 * metadata.name = `<plural>.<group>`, group, scope, versions (unique DNS-1035 names, exactly one
 * storage version, a schema per version as v1 requires, subresources, printer columns, selectable
 * fields), names, conversion (strategy None; Webhook is refused here since this server cannot call
 * conversion webhooks), the update rules (group and plural immutable, scope and kind immutable
 * once Established, storedVersions in spec.versions). The openAPIV3Schema itself is validated by
 * the schema library (./schema).
 */
import type { FieldError } from '../api/errors.js';
import type { KubeObject } from '../api/types.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../registry/names.js';
import { duplicate, forbidden, immutable, invalid, notSupported, required } from '../registry/validation.js';
import type { ValidationContext } from '../registry/types.js';
import { validateCrdSchema } from './schema/index.js';
import {
  isConditionTrue,
  specOf,
  statusOf,
  type CrdColumn,
  type CrdNames,
  type CrdScale,
  type CrdSpec,
  type CrdVersion,
} from './types.js';

const COLUMN_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
/** MaxSelectableFields (validation.go). */
const MAX_SELECTABLE_FIELDS = 8;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** validateSimpleJSONPath. */
function simpleJsonPath(s: string, field: string): FieldError[] {
  if (s.length === 0) return [invalid(field, s, 'must not be empty')];
  if (s[0] !== '.') return [invalid(field, s, 'must be a simple json path starting with .')];
  return [];
}

/** ValidateCustomResourceDefinitionNames (spec.names and status.acceptedNames). */
export function validateNames(n: CrdNames, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const label = (v: string | undefined, field: string, mixedCase = false) => {
    if (!v) return;
    const m = isDNS1035Label(mixedCase ? v.toLowerCase() : v);
    if (m.length)
      errs.push(
        invalid(
          `${path}.${field}`,
          v,
          (mixedCase ? 'may have mixed case, but should otherwise match: ' : '') + m.join(','),
        ),
      );
  };
  label(n.plural, 'plural');
  label(n.singular, 'singular');
  label(n.kind, 'kind', true);
  label(n.listKind, 'listKind', true);
  (n.shortNames ?? []).forEach((s, i) => {
    const m = isDNS1035Label(str(s));
    if (m.length) errs.push(invalid(`${path}.shortNames[${i}]`, s, m.join(',')));
  });
  if (n.kind && n.kind === n.listKind)
    errs.push(invalid(`${path}.listKind`, n.listKind, 'kind and listKind may not be the same'));
  (n.categories ?? []).forEach((c, i) => {
    const m = isDNS1035Label(str(c));
    if (m.length) errs.push(invalid(`${path}.categories[${i}]`, c, m.join(',')));
  });
  return errs;
}

/** ValidateCustomResourceColumnDefinition. */
function validateColumn(c: CrdColumn, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(`${path}.name`));
  if (!c.type) errs.push(required(`${path}.type`, `must be one of ${COLUMN_TYPES.join(',')}`));
  else if (!COLUMN_TYPES.includes(c.type))
    errs.push(invalid(`${path}.type`, c.type, `must be one of ${COLUMN_TYPES.join(',')}`));
  if (c.format && !COLUMN_FORMATS.includes(c.format))
    errs.push(invalid(`${path}.format`, c.format, `must be one of ${COLUMN_FORMATS.join(',')}`));
  if (!c.jsonPath) errs.push(required(`${path}.jsonPath`));
  else errs.push(...simpleJsonPath(c.jsonPath, `${path}.jsonPath`));
  return errs;
}

/** ValidateCustomResourceDefinitionSubresources (scale paths). */
function validateSubresources(sub: CrdVersion['subresources'], path: string): FieldError[] {
  const scale: CrdScale | undefined = sub?.scale;
  if (!scale) return [];
  const errs: FieldError[] = [];
  const p = `${path}.scale`;
  const spec = str(scale.specReplicasPath);
  if (!spec) errs.push(required(`${p}.specReplicasPath`));
  else {
    const e = simpleJsonPath(spec, `${p}.specReplicasPath`);
    errs.push(...e);
    if (!e.length && !spec.startsWith('.spec.'))
      errs.push(invalid(`${p}.specReplicasPath`, spec, 'should be a json path under .spec'));
  }
  const status = str(scale.statusReplicasPath);
  if (!status) errs.push(required(`${p}.statusReplicasPath`));
  else {
    const e = simpleJsonPath(status, `${p}.statusReplicasPath`);
    errs.push(...e);
    if (!e.length && !status.startsWith('.status.'))
      errs.push(invalid(`${p}.statusReplicasPath`, status, 'should be a json path under .status'));
  }
  const sel = scale.labelSelectorPath;
  if (sel !== undefined && sel !== '') {
    const e = simpleJsonPath(str(sel), `${p}.labelSelectorPath`);
    errs.push(...e);
    if (!e.length && !str(sel).startsWith('.spec.') && !str(sel).startsWith('.status.'))
      errs.push(
        invalid(`${p}.labelSelectorPath`, sel, 'should be a json path under either .spec or .status'),
      );
  }
  return errs;
}

/** The root keywords allowed with the status subresource (validation.go allowedFieldsAtRootSchema). */
const ROOT_ALLOWED: Readonly<Record<string, string>> = {
  description: 'Description',
  type: 'Type',
  format: 'Format',
  title: 'Title',
  maximum: 'Maximum',
  exclusiveMaximum: 'ExclusiveMaximum',
  minimum: 'Minimum',
  exclusiveMinimum: 'ExclusiveMinimum',
  maxLength: 'MaxLength',
  minLength: 'MinLength',
  pattern: 'Pattern',
  maxItems: 'MaxItems',
  minItems: 'MinItems',
  uniqueItems: 'UniqueItems',
  multipleOf: 'MultipleOf',
  required: 'Required',
  items: 'Items',
  properties: 'Properties',
  externalDocs: 'ExternalDocs',
  example: 'Example',
  'x-kubernetes-preserve-unknown-fields': 'XPreserveUnknownFields',
  'x-kubernetes-validations': 'XValidations',
};

/** With a status subresource the root schema is an object with only the allowed keywords. */
function statusRootErrors(schema: Record<string, unknown>, path: string): FieldError[] {
  for (const [k, v] of Object.entries(schema)) {
    if (v === undefined || v === null || v === '') continue;
    if (k === 'type') {
      if (v !== 'object')
        return [
          invalid(
            `${path}.type`,
            v,
            'only "object" is allowed as the type at the root of the schema if the status subresource is enabled',
          ),
        ];
      continue;
    }
    if (!Object.hasOwn(ROOT_ALLOWED, k)) {
      const list = Object.values(ROOT_ALLOWED).join(' ');
      return [
        invalid(
          path,
          schema,
          `only [${list}] fields are allowed at the root of the schema if the status subresource is enabled`,
        ),
      ];
    }
  }
  return [];
}

function validateVersion(v: CrdVersion, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const schema = v.schema?.openAPIV3Schema;
  if (schema && typeof schema === 'object' && !Array.isArray(schema) && v.subresources?.status)
    errs.push(...statusRootErrors(schema, `${path}.schema.openAPIV3Schema`));
  if (schema === undefined || schema === null) {
    errs.push(required(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
  } else if (typeof schema !== 'object' || Array.isArray(schema)) {
    errs.push(invalid(`${path}.schema.openAPIV3Schema`, schema, 'must be an object'));
  } else {
    try {
      errs.push(...validateCrdSchema(schema, `${path}.schema.openAPIV3Schema`));
    } catch (e) {
      // Never a 500 for a schema the library cannot digest (upstream: "error building validator").
      errs.push(invalid(`${path}.schema`, '', `error building validator: ${(e as Error).message}`));
    }
  }
  errs.push(...validateSubresources(v.subresources, `${path}.subresources`));
  (v.additionalPrinterColumns ?? []).forEach((c, i) =>
    errs.push(...validateColumn(c, `${path}.additionalPrinterColumns[${i}]`)),
  );
  const sf = v.selectableFields ?? [];
  if (sf.length > MAX_SELECTABLE_FIELDS)
    errs.push({
      type: 'FieldValueTooMany',
      field: `${path}.selectableFields`,
      detail: `must have at most ${MAX_SELECTABLE_FIELDS} items`,
    });
  const seen = new Set<string>();
  sf.forEach((f, i) => {
    const p = `${path}.selectableFields[${i}].jsonPath`;
    const jp = str(f?.jsonPath);
    if (!jp) return void errs.push(required(p));
    errs.push(...simpleJsonPath(jp, p));
    if (seen.has(jp)) errs.push(duplicate(p, jp));
    seen.add(jp);
  });
  return errs;
}

/** ValidateCustomResourceDefinitionSpec (v1). */
export function validateCrdSpec(spec: CrdSpec, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  const group = str(spec.group);
  if (!group) errs.push(required(`${path}.group`));
  else if (isDNS1123Subdomain(group).length)
    errs.push(invalid(`${path}.group`, group, isDNS1123Subdomain(group).join(',')));
  else if (group.split('.').length < 2)
    errs.push(invalid(`${path}.group`, group, 'should be a domain with at least one dot'));

  const scope = str(spec.scope);
  if (!scope) errs.push(required(`${path}.scope`));
  else if (scope !== 'Cluster' && scope !== 'Namespaced')
    errs.push(notSupported(`${path}.scope`, scope, ['Cluster', 'Namespaced']));

  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  let storage = 0;
  const names = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    if (v.storage === true) storage++;
    const name = str(v.name);
    if (names.has(name)) unique = false;
    names.add(name);
    const m = isDNS1035Label(name);
    if (m.length) errs.push(invalid(`${path}.versions[${i}].name`, name, m.join(',')));
    errs.push(...validateVersion(v, `${path}.versions[${i}]`));
  });
  if (!unique) errs.push(invalid(`${path}.versions`, versions, 'must contain unique version names'));
  if (storage !== 1)
    errs.push(
      invalid(`${path}.versions`, versions, 'must have exactly one version marked as storage version'),
    );

  const n = spec.names ?? {};
  for (const f of ['plural', 'singular', 'kind', 'listKind'] as const) {
    if (!n[f]) errs.push(required(`${path}.names.${f}`));
  }
  errs.push(...validateNames(n, `${path}.names`));

  if (spec.preserveUnknownFields === true) {
    errs.push(
      invalid(
        `${path}.preserveUnknownFields`,
        true,
        'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
      ),
    );
  }
  const strategy = str(spec.conversion?.strategy);
  if (!strategy) errs.push(required(`${path}.conversion.strategy`));
  else if (strategy !== 'None' && strategy !== 'Webhook')
    errs.push(notSupported(`${path}.conversion.strategy`, strategy, ['None', 'Webhook']));
  else if (strategy === 'Webhook')
    errs.push(
      forbidden(
        `${path}.conversion.strategy`,
        'Webhook conversion is not supported by this server (kubeauth cannot call conversion webhooks); use strategy None',
      ),
    );
  else if (spec.conversion?.webhook !== undefined)
    errs.push(
      forbidden(
        `${path}.conversion.webhookClientConfig`,
        'should not be set when strategy is not set to Webhook',
      ),
    );
  return errs;
}

export const APPROVAL = 'api-approved.kubernetes.io';
export const APPROVAL_DOC = 'see https://github.com/kubernetes/enhancements/pull/1111';

/** IsProtectedCommunityGroup: k8s.io and kubernetes.io groups need API approval. */
export function isProtectedGroup(g: string): boolean {
  return g === 'k8s.io' || g.endsWith('.k8s.io') || g === 'kubernetes.io' || g.endsWith('.kubernetes.io');
}

/** GetAPIApprovalState: missing, bypassed ("unapproved..."), invalid, or approved (a URL). */
export function approvalState(md: KubeObject['metadata']): 'missing' | 'bypassed' | 'invalid' | 'approved' {
  const v = md?.annotations?.[APPROVAL];
  if (typeof v !== 'string' || v === '') return 'missing';
  if (v.startsWith('unapproved')) return 'bypassed';
  if (v.startsWith('/')) return 'approved';
  try {
    new URL(v);
    return 'approved';
  } catch {
    return 'invalid';
  }
}

/**
 * validateAPIApproval: CRDs in `k8s.io` / `kubernetes.io` groups need the approval annotation; an
 * update that does not change the approval state is never refused for it.
 */
function validateApproval(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const g = str(specOf(obj).group);
  const prot =
    g === 'k8s.io' || g.endsWith('.k8s.io') || g === 'kubernetes.io' || g.endsWith('.kubernetes.io');
  if (!prot) return [];
  const state = approvalState(obj.metadata);
  if (old && approvalState(old.metadata) === state) return [];
  const field = `metadata.annotations[${APPROVAL}]`;
  if (state === 'missing')
    return [
      required(
        field,
        `protected groups must have approval annotation ${JSON.stringify(APPROVAL)}, ${APPROVAL_DOC}`,
      ),
    ];
  if (state === 'invalid')
    return [
      invalid(
        field,
        obj.metadata?.annotations?.[APPROVAL],
        `protected groups must have approval annotation ${JSON.stringify(APPROVAL)} with either a URL or a reason starting with "unapproved", ${APPROVAL_DOC}`,
      ),
    ];
  return [];
}

/** The whole-object validation the CRD descriptor runs on create and update. */
export function validateCrd(obj: KubeObject, ctx: ValidationContext): FieldError[] {
  const spec = specOf(obj);
  const errs: FieldError[] = [];
  const name = obj.metadata?.name ?? '';
  const names = spec.names ?? {};
  if (name && name !== `${str(names.plural)}.${str(spec.group)}`)
    errs.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  errs.push(...validateCrdSpec(spec));
  errs.push(...validateApproval(obj, ctx.old));
  const status = statusOf(obj);
  errs.push(...validateNames(status.acceptedNames ?? {}, 'status.acceptedNames'));
  if (ctx.old) {
    const old = specOf(ctx.old);
    if (isConditionTrue(ctx.old, 'Established')) {
      errs.push(...immutable('spec.scope', spec.scope ?? '', old.scope ?? ''));
      errs.push(...immutable('spec.names.kind', names.kind ?? '', old.names?.kind ?? ''));
    }
    errs.push(...immutable('spec.group', spec.group ?? '', old.group ?? ''));
    errs.push(...immutable('spec.names.plural', names.plural ?? '', old.names?.plural ?? ''));
    errs.push(...validateStoredVersions(status.storedVersions ?? [], spec.versions ?? []));
  }
  return errs;
}

/** ValidateCustomResourceDefinitionStoredVersions. */
function validateStoredVersions(stored: string[], versions: CrdVersion[]): FieldError[] {
  const path = 'status.storedVersions';
  if (stored.length === 0) return [invalid(path, stored, 'must have at least one stored version')];
  const errs: FieldError[] = [];
  const left = new Map(stored.map((v, i) => [v, i]));
  for (const v of versions) {
    const has = left.has(str(v.name));
    if (v.storage && !has) errs.push(invalid(path, v, `must have the storage version ${str(v.name)}`));
    left.delete(str(v.name));
  }
  for (const [v, i] of left) errs.push(invalid(`${path}[${i}]`, v, 'must appear in spec.versions'));
  return errs;
}
