/**
 * @module registry/validators/core
 *
 * Service, ConfigMap and Secret validation after pkg/apis/core/validation/validation.go
 * (ValidateService / validateServicePort, ValidateConfigMap(Update), ValidateSecret(Update)):
 * service type enum, ports required unless headless or ExternalName, port numbers, names and
 * protocols; data keys, 1 MiB total size, type-specific Secret keys, `immutable` objects.
 */
import type { FieldError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { obj, objs, str } from '../util.js';
import type { ValidationContext } from '../types.js';
import {
  dnsLabelErrors,
  duplicate,
  forbidden,
  immutable,
  invalid,
  keyPath,
  notSupported,
  required,
  tooLong,
  validateDataKeys,
} from '../validation.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PORT_RANGE = 'must be between 1 and 65535, inclusive';

export function validateService(svc: KubeObject): FieldError[] {
  const spec = obj(svc.spec);
  const errs: FieldError[] = [];
  const type = str(spec.type);
  if (!type) errs.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported('spec.type', type, SERVICE_TYPES));
  const headless = str(spec.clusterIP) === 'None';
  const ports = objs(spec.ports);
  if (type === 'ExternalName') {
    if (!str(spec.externalName)) errs.push(required('spec.externalName'));
  } else if (!ports.length && !headless) {
    errs.push(required('spec.ports'));
  }
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    const name = str(p.name);
    if (ports.length > 1 && !name) errs.push(required(`${path}.name`));
    else if (name) errs.push(...dnsLabelErrors(`${path}.name`, name));
    if (name && names.has(name)) errs.push(duplicate(`${path}.name`, name));
    names.add(name);
    const port = p.port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      errs.push(invalid(`${path}.port`, port ?? 0, PORT_RANGE));
    }
    const proto = str(p.protocol);
    if (!proto) errs.push(required(`${path}.protocol`));
    else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(`${path}.protocol`, proto, PROTOCOLS));
    const target = p.targetPort;
    if (typeof target === 'number' && (target < 1 || target > 65535)) {
      errs.push(invalid(`${path}.targetPort`, target, PORT_RANGE));
    }
    const nodePort = p.nodePort;
    if (typeof nodePort === 'number' && nodePort !== 0 && (type === 'ClusterIP' || type === 'ExternalName')) {
      errs.push(forbidden(`${path}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
    }
  });
  return errs;
}

/** api.MaxSecretSize, shared by ConfigMaps. */
export const MAX_DATA_SIZE = 1024 * 1024;

const base64Size = (v: unknown) => Buffer.from(str(v), 'base64').length;

/** The `immutable: true` rules shared by ConfigMap and Secret updates. */
function immutableData(o: KubeObject, old: KubeObject | undefined, fields: string[]): FieldError[] {
  if (!old || old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (o.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (JSON.stringify(o[f] ?? {}) !== JSON.stringify(old[f] ?? {})) {
      errs.push(forbidden(f, 'field is immutable when `immutable` is set'));
    }
  }
  return errs;
}

export function validateConfigMap(cm: KubeObject, ctx: ValidationContext): FieldError[] {
  const errs = [...validateDataKeys(cm.data, 'data'), ...validateDataKeys(cm.binaryData, 'binaryData')];
  const data = obj(cm.data);
  const binary = obj(cm.binaryData);
  let size = 0;
  for (const [k, v] of Object.entries(data)) {
    if (k in binary) errs.push(invalid(keyPath('data', k), k, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(str(v));
  }
  for (const [k, v] of Object.entries(binary)) {
    if (k in data) errs.push(invalid(keyPath('binaryData', k), k, 'duplicate of key present in data'));
    size += base64Size(v);
  }
  if (size > MAX_DATA_SIZE) errs.push(tooLong('', MAX_DATA_SIZE));
  errs.push(...immutableData(cm, ctx.old, ['data', 'binaryData']));
  return errs;
}

/** Keys each built-in Secret type requires (ValidateSecret). */
function secretTypeErrors(secret: KubeObject): FieldError[] {
  const data = obj(secret.data);
  const has = (k: string) => str(data[k]) !== '';
  const req = (k: string) => (has(k) ? [] : [required(keyPath('data', k))]);
  switch (str(secret.type)) {
    case 'kubernetes.io/service-account-token':
      return secret.metadata?.annotations?.['kubernetes.io/service-account.name']
        ? []
        : [required(keyPath('metadata.annotations', 'kubernetes.io/service-account.name'))];
    case 'kubernetes.io/dockercfg':
      return req('.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return req('.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      return has('username') || has('password') ? [] : [...req('username'), ...req('password')];
    case 'kubernetes.io/ssh-auth':
      return req('ssh-privatekey');
    case 'kubernetes.io/tls':
      return [...req('tls.crt'), ...req('tls.key')];
    default:
      return [];
  }
}

export function validateSecret(secret: KubeObject, ctx: ValidationContext): FieldError[] {
  const errs = validateDataKeys(secret.data, 'data');
  let size = 0;
  for (const v of Object.values(obj(secret.data))) size += base64Size(v);
  if (size > MAX_DATA_SIZE) errs.push(tooLong('data', MAX_DATA_SIZE));
  errs.push(...secretTypeErrors(secret));
  if (ctx.old) {
    errs.push(...immutable('type', str(secret.type), str(ctx.old.type)));
    errs.push(...immutableData(secret, ctx.old, ['data']));
  }
  return errs;
}
