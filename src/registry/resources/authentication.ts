/**
 * @module registry/resources/authentication
 *
 * authentication.k8s.io review resources (api/discovery/apis__authentication.k8s.io__v1.json).
 * SelfSubjectReview is also served at v1beta1 because kubectl 1.27 `auth whoami` calls only
 * v1beta1 (then v1alpha1); see kubectl-wire.md §1.
 */
import type { ResourceDescriptor } from '../types.js';
import { defineResource } from './common.js';

export const selfsubjectreviews = defineResource({
  group: 'authentication.k8s.io',
  versions: ['v1', 'v1beta1'],
  resource: 'selfsubjectreviews',
  kind: 'SelfSubjectReview',
  namespaced: false,
  virtual: true,
});

export const tokenreviews = defineResource({
  group: 'authentication.k8s.io',
  versions: ['v1'],
  resource: 'tokenreviews',
  kind: 'TokenReview',
  namespaced: false,
  virtual: true,
});

export const authenticationResources: ResourceDescriptor[] = [selfsubjectreviews, tokenreviews];
