/**
 * @module registry/resources/authorization
 *
 * authorization.k8s.io/v1 review resources (api/discovery/apis__authorization.k8s.io__v1.json).
 * LocalSubjectAccessReview is the only namespaced one.
 */
import type { ResourceDescriptor } from '../types.js';
import { defineResource } from './common.js';

const group = 'authorization.k8s.io';

export const localsubjectaccessreviews = defineResource({
  group,
  versions: ['v1'],
  resource: 'localsubjectaccessreviews',
  kind: 'LocalSubjectAccessReview',
  namespaced: true,
  virtual: true,
});

export const selfsubjectaccessreviews = defineResource({
  group,
  versions: ['v1'],
  resource: 'selfsubjectaccessreviews',
  kind: 'SelfSubjectAccessReview',
  namespaced: false,
  virtual: true,
});

export const selfsubjectrulesreviews = defineResource({
  group,
  versions: ['v1'],
  resource: 'selfsubjectrulesreviews',
  kind: 'SelfSubjectRulesReview',
  namespaced: false,
  virtual: true,
});

export const subjectaccessreviews = defineResource({
  group,
  versions: ['v1'],
  resource: 'subjectaccessreviews',
  kind: 'SubjectAccessReview',
  namespaced: false,
  virtual: true,
});

export const authorizationResources: ResourceDescriptor[] = [
  localsubjectaccessreviews,
  selfsubjectaccessreviews,
  selfsubjectrulesreviews,
  subjectaccessreviews,
];
