/**
 * The naming controller's decisions (naming_controller.go calculateNamesAndConditions and
 * naming_controller_test.go cases): fresh names accepted, a name another CRD of the group has
 * accepted refused with the upstream reason and message, a CRD keeps names it already holds, and
 * Established follows accepted names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { approvalCondition, calculateNames } from './crd-names.js';

const crd = (
  name: string,
  names: Record<string, unknown>,
  accepted?: Record<string, unknown>,
  est?: boolean,
) => ({
  metadata: { name },
  spec: { group: 'example.com', names },
  status: {
    acceptedNames: accepted ?? {},
    conditions: est ? [{ type: 'Established', status: 'True' as const }] : [],
  },
});

const widgets = {
  plural: 'widgets',
  singular: 'widget',
  kind: 'Widget',
  listKind: 'WidgetList',
  shortNames: ['wd'],
};

test('no conflicts: every name accepted, NoConflicts, Established InitialNamesAccepted', () => {
  const r = calculateNames(crd('widgets.example.com', widgets), []);
  assert.deepEqual(r.names, { ...widgets, categories: undefined });
  assert.deepEqual(r.namesAccepted, {
    type: 'NamesAccepted',
    status: 'True',
    reason: 'NoConflicts',
    message: 'no conflicts found',
  });
  assert.equal(r.established.status, 'True');
  assert.equal(r.established.reason, 'InitialNamesAccepted');
  assert.equal(r.established.message, 'the initial names have been accepted');
});

test('conflicts with names other CRDs of the group accepted', () => {
  const other = crd(
    'gadgets.example.com',
    {},
    { plural: 'gadgets', singular: 'gadget', shortNames: ['wd'], kind: 'Widget', listKind: 'GadgetList' },
  );
  const r = calculateNames(crd('widgets.example.com', widgets), [other]);
  // The last failing check wins, as upstream: kind after short names.
  assert.equal(r.namesAccepted.status, 'False');
  assert.equal(r.namesAccepted.reason, 'KindConflict');
  assert.equal(r.namesAccepted.message, '"Widget" is already in use');
  assert.equal(r.names.kind, undefined);
  assert.equal(r.names.shortNames, undefined);
  assert.equal(r.names.plural, 'widgets');
  assert.equal(r.established.status, 'False');
  assert.equal(r.established.reason, 'NotAccepted');
  assert.equal(r.established.message, 'not all names are accepted');

  const pl = calculateNames(crd('widgets.example.com', widgets), [
    crd('x.example.com', {}, { plural: 'widgets' }),
  ]);
  assert.equal(pl.namesAccepted.reason, 'PluralConflict');
  assert.equal(pl.namesAccepted.message, '"widgets" is already in use');
  const sn = calculateNames(crd('widgets.example.com', widgets), [
    crd('x.example.com', {}, { singular: 'wd' }),
  ]);
  assert.equal(sn.namesAccepted.reason, 'ShortNamesConflict');
});

test('names already held are kept; an Established CRD stays Established', () => {
  const mine = crd('widgets.example.com', widgets, widgets, true);
  const other = crd('x.example.com', {}, { plural: 'widgets', kind: 'Widget' });
  const r = calculateNames(mine, [other]);
  assert.equal(r.namesAccepted.status, 'True');
  assert.equal(r.established.status, 'True');
});

test('KubernetesAPIApprovalPolicyConformant for protected groups (apiapproval controller)', () => {
  const c = (group: string, ann?: string): KubeObject => {
    const annotations: Record<string, string> = {};
    if (ann !== undefined) annotations['api-approved.kubernetes.io'] = ann;
    return { metadata: { name: 'x', annotations }, spec: { group } };
  };
  assert.equal(approvalCondition(c('example.com')), undefined);
  assert.deepEqual(approvalCondition(c('x.k8s.io', 'https://github.com/kubernetes/kubernetes/pull/1')), {
    type: 'KubernetesAPIApprovalPolicyConformant',
    status: 'True',
    reason: 'ApprovedAnnotation',
    message: 'approved in https://github.com/kubernetes/kubernetes/pull/1',
  });
  assert.equal(
    approvalCondition(c('x.kubernetes.io', 'unapproved, testing'))!.message,
    'not approved: "unapproved, testing"',
  );
  assert.equal(approvalCondition(c('k8s.io'))!.reason, 'MissingAnnotation');
  assert.equal(approvalCondition(c('x.k8s.io', 'nope'))!.reason, 'InvalidAnnotation');
});
