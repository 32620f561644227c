/**
 * The patch-specific ApiErrors, with the codes and texts of
 * k8s.io/apiserver/pkg/endpoints/handlers/patch.go (`applyJSPatch`,
 * `interpretStrategicMergePatchError`) and k8s.io/apimachinery/pkg/util/mergepatch/errors.go.
 */
import { ApiError, badRequest } from '../errors.js';

/**
 * errors.NewGenericServerResponse(422, ...): upstream drops the detail, so the client sees only
 * the generic text with reason Invalid and empty details. The detail is kept as `cause` for logs.
 */
export function unprocessable(detail: string): ApiError {
  const e = new ApiError(
    422,
    'Invalid',
    'the server rejected our request due to an error in our request',
    {},
  );
  Object.defineProperty(e, 'cause', { value: new Error(detail), enumerable: false });
  return e;
}

/** 413 for a JSON patch with more than maxJSONPatchOperations operations. */
export function tooManyOperations(max: number, got: number): ApiError {
  return new ApiError(
    413,
    'RequestEntityTooLarge',
    `Request entity too large: The allowed maximum operations in a JSON patch is ${max}, got ${got}`,
  );
}

/** 415 for a strategic merge patch on a kind without a Go struct (CRDs, aggregated types). */
export function strategicMergeUnsupported(): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
  );
}

// mergepatch sentinel errors. Upstream answers the first group with 400 and the second with 422.
export const errBadJSONDoc = (): ApiError => badRequest('invalid JSON document');
export const errBadPatchFormatForPrimitiveList = (): ApiError =>
  badRequest('invalid patch format of primitive list');
export const errBadPatchFormatForRetainKeys = (): ApiError =>
  badRequest('invalid patch format of retainKeys');
export const errBadPatchFormatForSetElementOrderList = (): ApiError =>
  badRequest('invalid patch format of setElementOrder list');
export const errNoListOfLists = (): ApiError => unprocessable('lists of lists are not supported');
