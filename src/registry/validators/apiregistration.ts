/**
 * @module registry/validators/apiregistration
 *
 * APIService validation after kube-aggregator pkg/apis/apiregistration/validation/validation.go
 * (ValidateAPIService, ValidateAPIServiceStatus): the name must be `<version>.<group>`, the group a
 * DNS subdomain (empty only for the legacy `v1`), the version a DNS-1035 label, priorities in
 * range, and local APIServices (no `spec.service`) may not carry TLS settings. Also the
 * strategy's create hook and the ServiceReference defaults.
 */
import type { FieldError } from '../../api/errors.js';
import { timestamp } from '../../api/meta.js';
import type { KubeObject } from '../../api/types.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../names.js';
import { isSet, obj, objs, str } from '../util.js';
import { invalid, notSupported, required } from '../validation.js';

/** ValidateAPIService plus ValidateAPIServiceStatus. */
export function validateAPIService(o: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(o.spec);
  const group = str(spec.group);
  const version = str(spec.version);
  const name = o.metadata?.name ?? '';
  const requiredName = `${version}.${group}`;
  if (name && name !== requiredName)
    errs.push(
      invalid(
        'metadata.name',
        name,
        `must be \`spec.version+"."+spec.group\`: ${JSON.stringify(requiredName)}`,
      ),
    );
  if (!group && version !== 'v1')
    errs.push(required('spec.group', 'only v1 may have an empty group and it better be legacy kube'));
  if (group) for (const m of isDNS1123Subdomain(group)) errs.push(invalid('spec.group', group, m));
  for (const m of isDNS1035Label(version)) errs.push(invalid('spec.version', version, m));
  const gpm = typeof spec.groupPriorityMinimum === 'number' ? spec.groupPriorityMinimum : 0;
  const vp = typeof spec.versionPriority === 'number' ? spec.versionPriority : 0;
  if (gpm <= 0 || gpm > 20000)
    errs.push(invalid('spec.groupPriorityMinimum', gpm, 'must be positive and less than 20000'));
  if (vp <= 0 || vp > 1000)
    errs.push(invalid('spec.versionPriority', vp, 'must be positive and less than 1000'));
  const caBundle = str(spec.caBundle);
  const skip = spec.insecureSkipTLSVerify === true;
  if (!isSet(spec.service)) {
    // caBundle is base64 in JSON; upstream counts the decoded bytes.
    if (caBundle)
      errs.push(
        invalid(
          'spec.caBundle',
          `${Buffer.from(caBundle, 'base64').length} bytes`,
          'local APIServices may not have a caBundle',
        ),
      );
    if (skip)
      errs.push(
        invalid('spec.insecureSkipTLSVerify', true, 'local APIServices may not have insecureSkipTLSVerify'),
      );
  } else {
    const svc = obj(spec.service);
    if (!str(svc.namespace)) errs.push(required('spec.service.namespace'));
    if (!str(svc.name)) errs.push(required('spec.service.name'));
    const port = typeof svc.port === 'number' ? svc.port : 0;
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      errs.push(
        invalid('spec.service.port', port, 'port is not valid: must be between 1 and 65535, inclusive'),
      );
    if (skip && caBundle)
      errs.push(invalid('spec.insecureSkipTLSVerify', true, 'may not be true if caBundle is present'));
  }
  objs(obj(o.status).conditions).forEach((c, i) => {
    if (!['True', 'False', 'Unknown'].includes(str(c.status)))
      errs.push(notSupported(`status.conditions[${i}].status`, c.status ?? '', ['True', 'False', 'Unknown']));
  });
  return errs;
}

/**
 * The strategy's PrepareForCreate (kube-aggregator pkg/registry/apiservice/strategy.go): a local
 * APIService (no `spec.service`) is marked Available right away.
 */
export function prepareAPIServiceForCreate(o: KubeObject, now: Date): void {
  if (isSet(obj(o.spec).service)) return;
  o.status = {
    conditions: [
      {
        type: 'Available',
        status: 'True',
        lastTransitionTime: timestamp(now),
        reason: 'Local',
        message: 'Local APIServices are always available',
      },
    ],
  };
}

/** SetDefaults_ServiceReference: port 443. */
export function defaultAPIService(o: KubeObject): void {
  const spec = obj(o.spec);
  if (isSet(spec.service)) {
    const svc = obj(spec.service);
    if (!isSet(svc.port)) svc.port = 443;
  }
}
