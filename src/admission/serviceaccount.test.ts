// Cases after plugin/pkg/admission/serviceaccount/admission_test.go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  admitServiceAccount,
  tokenVolumeSource,
  type PodLike,
  type ServiceAccountLike,
} from './serviceaccount.js';

const MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const fixedRnd = { uuid: () => 'u', int: () => 0 }; // generateName picks "b" each time
const deps = (sas: Record<string, ServiceAccountLike>) => ({
  getServiceAccount: (ns: string, name: string) => sas[`${ns}/${name}`],
  rnd: fixedRnd,
});

test('TestAssignsDefaultServiceAccountAndBoundTokenWithNoSecretTokens: default SA, projected volume, mounts', () => {
  const pod: PodLike = { spec: { containers: [{ name: 'c' }], initContainers: [{ name: 'i' }] } };
  assert.equal(admitServiceAccount(pod, 'ns', deps({ 'ns/default': {} })), undefined);
  assert.equal(pod.spec!.serviceAccountName, 'default');
  assert.equal(pod.spec!.serviceAccount, 'default');
  assert.deepEqual(pod.spec!.volumes, [{ name: 'kube-api-access-bbbbb', projected: tokenVolumeSource() }]);
  const mount = { name: 'kube-api-access-bbbbb', readOnly: true, mountPath: MOUNT };
  assert.deepEqual(pod.spec!.containers![0].volumeMounts, [mount]);
  assert.deepEqual(pod.spec!.initContainers![0].volumeMounts, [mount]);
});

test('the projected source is upstream TokenVolumeSource()', () => {
  assert.deepEqual(tokenVolumeSource(), {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      {
        downwardAPI: {
          items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
        },
      },
    ],
  });
});

test('TestFetchesUncachedServiceAccount / missing account: upstream Forbidden text', () => {
  const pod: PodLike = { spec: { serviceAccountName: 'missing', containers: [{ name: 'c' }] } };
  assert.equal(
    admitServiceAccount(pod, 'myns', deps({})),
    'error looking up service account myns/missing: serviceaccount "missing" not found',
  );
});

test('the deprecated spec.serviceAccount names the account when serviceAccountName is empty', () => {
  const pod: PodLike = { spec: { serviceAccount: 'robot', containers: [{ name: 'c' }] } };
  assert.equal(admitServiceAccount(pod, 'ns', deps({ 'ns/robot': {} })), undefined);
  assert.equal(pod.spec!.serviceAccountName, 'robot');
  assert.equal(pod.spec!.serviceAccount, 'robot');
});

test('TestAutomountsAPIToken: automount decided by pod first, then account, default true', () => {
  const cases: [boolean | undefined, boolean | undefined, boolean][] = [
    [undefined, undefined, true],
    [undefined, false, false],
    [undefined, true, true],
    [true, false, true],
    [false, true, false],
    [false, undefined, false],
  ];
  for (const [podPref, saPref, mounted] of cases) {
    const pod: PodLike = { spec: { containers: [{ name: 'c' }] } };
    if (podPref !== undefined) pod.spec!.automountServiceAccountToken = podPref;
    const sa: ServiceAccountLike = saPref === undefined ? {} : { automountServiceAccountToken: saPref };
    assert.equal(admitServiceAccount(pod, 'ns', deps({ 'ns/default': sa })), undefined);
    assert.equal((pod.spec!.volumes ?? []).length, mounted ? 1 : 0, `pod=${podPref} sa=${saPref}`);
    assert.equal((pod.spec!.containers![0].volumeMounts ?? []).length, mounted ? 1 : 0);
  }
});

test('TestRespectsExistingMount: a mount at the path already there is kept, no volume added', () => {
  const own = { name: 'my-vol', mountPath: MOUNT };
  const pod: PodLike = { spec: { containers: [{ name: 'c', volumeMounts: [own] }] } };
  assert.equal(admitServiceAccount(pod, 'ns', deps({ 'ns/default': {} })), undefined);
  assert.deepEqual(pod.spec!.containers![0].volumeMounts, [own]);
  assert.equal(pod.spec!.volumes, undefined);
});

test('an existing kube-api-access-* volume is reused, not duplicated; ephemeral containers untouched', () => {
  const vol = { name: 'kube-api-access-abcde', projected: tokenVolumeSource() };
  const pod: PodLike = {
    spec: { volumes: [vol], containers: [{ name: 'c' }], ephemeralContainers: [{ name: 'e' }] },
  };
  assert.equal(admitServiceAccount(pod, 'ns', deps({ 'ns/default': {} })), undefined);
  assert.deepEqual(pod.spec!.volumes, [vol]);
  assert.equal(pod.spec!.containers![0].volumeMounts![0].name, 'kube-api-access-abcde');
  assert.equal(pod.spec!.ephemeralContainers![0].volumeMounts, undefined);
});

test('TestAddImagePullSecrets / TestDoNotAddImagePullSecrets', () => {
  const sa = { imagePullSecrets: [{ name: 'foo' }, { name: 'bar' }] };
  const pod: PodLike = { spec: { containers: [{ name: 'c' }] } };
  admitServiceAccount(pod, 'ns', deps({ 'ns/default': sa }));
  assert.deepEqual(pod.spec!.imagePullSecrets, [{ name: 'foo' }, { name: 'bar' }]);
  const own: PodLike = { spec: { containers: [{ name: 'c' }], imagePullSecrets: [{ name: 'mine' }] } };
  admitServiceAccount(own, 'ns', deps({ 'ns/default': sa }));
  assert.deepEqual(own.spec!.imagePullSecrets, [{ name: 'mine' }]);
});

test('TestRejectsMirrorPodWithServiceAccount / WithSecretVolumes / WithServiceAccountTokenVolumeProjections', () => {
  const mirror = (spec: PodLike['spec']): PodLike => ({
    metadata: { annotations: { 'kubernetes.io/config.mirror': 'mirror' } },
    spec,
  });
  assert.equal(
    admitServiceAccount(mirror({ serviceAccountName: 'default' }), 'ns', deps({ 'ns/default': {} })),
    'a mirror pod may not reference service accounts',
  );
  assert.equal(
    admitServiceAccount(mirror({ volumes: [{ name: 'v', secret: { secretName: 's' } }] }), 'ns', deps({})),
    'a mirror pod may not reference secrets',
  );
  assert.equal(
    admitServiceAccount(
      mirror({
        containers: [{ name: 'c', env: [{ valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }],
      }),
      'ns',
      deps({}),
    ),
    'a mirror pod may not reference secrets',
  );
  assert.equal(
    admitServiceAccount(
      mirror({ volumes: [{ name: 'v', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }] }),
      'ns',
      deps({}),
    ),
    'a mirror pod may not use ServiceAccountToken volume projections',
  );
  // TestIgnoresMirrorPod: a clean mirror pod is admitted unchanged (no default SA, no volume).
  const ok = mirror({ containers: [{ name: 'c' }] });
  assert.equal(admitServiceAccount(ok, 'ns', deps({})), undefined);
  assert.equal(ok.spec!.serviceAccountName, undefined);
  assert.equal(ok.spec!.volumes, undefined);
});

test('TestAllowsReferencedSecret / TestRejectsUnreferencedSecret* with kubernetes.io/enforce-mountable-secrets', () => {
  const sa: ServiceAccountLike = {
    metadata: { name: 'default', annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } },
    secrets: [{ name: 'foo' }],
  };
  const ok: PodLike = {
    spec: { volumes: [{ name: 'v', secret: { secretName: 'foo' } }], containers: [{ name: 'c' }] },
  };
  assert.equal(admitServiceAccount(ok, 'ns', deps({ 'ns/default': sa })), undefined);
  const cases: [PodLike['spec'], string][] = [
    [
      { volumes: [{ name: 'v', secret: { secretName: 'bar' } }] },
      'volume with secret.secretName="bar" is not allowed because service account default does not reference that secret',
    ],
    [
      {
        containers: [
          { name: 'c', env: [{ name: 'E', valueFrom: { secretKeyRef: { name: 'bar', key: 'k' } } }] },
        ],
      } as never,
      'container c with envVar E referencing secret.secretName="bar" is not allowed because service account default does not reference that secret',
    ],
    [
      { initContainers: [{ name: 'i', envFrom: [{ secretRef: { name: 'bar' } }] }] },
      'init container i with envFrom referencing secret.secretName="bar" is not allowed because service account default does not reference that secret',
    ],
    [
      { imagePullSecrets: [{ name: 'bar' }] },
      'imagePullSecrets[0].name="bar" is not allowed because service account default does not reference that imagePullSecret',
    ],
  ];
  for (const [spec, want] of cases)
    assert.equal(admitServiceAccount({ spec }, 'ns', deps({ 'ns/default': sa })), want);
  // Without the annotation (or "false") nothing is limited.
  const open = {
    ...sa,
    metadata: { name: 'default', annotations: { 'kubernetes.io/enforce-mountable-secrets': 'false' } },
  };
  assert.equal(admitServiceAccount({ spec: cases[0][0] }, 'ns', deps({ 'ns/default': open })), undefined);
});
