/**
 * @module registry/validators/pod
 *
 * Pod and pod-template validation, the commonly hit subset of pkg/apis/core/validation/validation.go
 * ValidatePodSpec: containers required; container names DNS-1123 labels, unique across init,
 * regular and ephemeral containers; image required for Pods (templates may leave it to admission);
 * container ports and protocols; restartPolicy and dnsPolicy enums; volume names. Pod updates
 * (which upstream restricts to a few mutable fields) are not checked beyond object metadata.
 */
import type { FieldError } from '../../api/errors.js';
import type { KubeObject } from '../../api/types.js';
import { obj, objs, str, type Obj } from '../util.js';
import { dnsLabelErrors, duplicate, invalid, notSupported, required } from '../validation.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];

function validateContainers(
  list: Obj[],
  path: string,
  names: Set<string>,
  isPod: boolean,
  errs: FieldError[],
): void {
  list.forEach((c, i) => {
    const p = `${path}[${i}]`;
    const name = str(c.name);
    if (!name) errs.push(required(`${p}.name`));
    else errs.push(...dnsLabelErrors(`${p}.name`, name));
    if (name && names.has(name)) errs.push(duplicate(`${p}.name`, name));
    if (name) names.add(name);
    const image = str(c.image);
    if (isPod && !image) errs.push(required(`${p}.image`));
    else if (image && image.trim() !== image) {
      errs.push(invalid(`${p}.image`, image, 'must not have leading or trailing whitespace'));
    }
    objs(c.ports).forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      const n = port.containerPort;
      if (typeof n !== 'number' || n < 1 || n > 65535 || !Number.isInteger(n)) {
        errs.push(
          n === undefined || n === 0
            ? required(`${pp}.containerPort`)
            : invalid(`${pp}.containerPort`, n, 'must be between 1 and 65535, inclusive'),
        );
      }
      const proto = str(port.protocol);
      if (!proto) errs.push(required(`${pp}.protocol`));
      else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(`${pp}.protocol`, proto, PROTOCOLS));
    });
  });
}

/** ValidatePodSpec (the subset above) at `path` ("spec" or "spec.template.spec"). */
export function validatePodSpec(specValue: unknown, path: string, isPod: boolean): FieldError[] {
  const spec = obj(specValue);
  const errs: FieldError[] = [];
  const names = new Set<string>();
  const containers = objs(spec.containers);
  validateContainers(objs(spec.initContainers), `${path}.initContainers`, names, isPod, errs);
  if (!containers.length) errs.push(required(`${path}.containers`));
  else validateContainers(containers, `${path}.containers`, names, isPod, errs);
  const volumes = new Set<string>();
  objs(spec.volumes).forEach((v, i) => {
    const name = str(v.name);
    const p = `${path}.volumes[${i}].name`;
    if (!name) errs.push(required(p));
    else errs.push(...dnsLabelErrors(p, name));
    if (name && volumes.has(name)) errs.push(duplicate(p, name));
    volumes.add(name);
  });
  const restart = str(spec.restartPolicy);
  if (!restart) errs.push(required(`${path}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(restart)) {
    errs.push(notSupported(`${path}.restartPolicy`, restart, RESTART_POLICIES));
  }
  const dns = str(spec.dnsPolicy);
  if (!dns) errs.push(required(`${path}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(dns)) errs.push(notSupported(`${path}.dnsPolicy`, dns, DNS_POLICIES));
  return errs;
}

export function validatePod(pod: KubeObject): FieldError[] {
  return validatePodSpec(pod.spec, 'spec', true);
}

/** PodTemplate objects: `template.spec`. */
export function validatePodTemplate(pt: KubeObject): FieldError[] {
  return validatePodSpec(obj(pt.template).spec, 'template.spec', false);
}
