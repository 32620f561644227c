/**
 * @module apiextensions/apply-schema
 *
 * The server-side-apply view of a CRD version's openAPIV3Schema, as structured-merge-diff's
 * type converter reads it (apiextensions-apiserver builds it from the structural schema): objects
 * with `properties` are structs, `additionalProperties` maps, `x-kubernetes-map-type: atomic`
 * owned as a whole; arrays follow `x-kubernetes-list-type` (`map` keyed by
 * `x-kubernetes-list-map-keys`, with key defaults from the item schema; `set`; atomic
 * otherwise); `x-kubernetes-preserve-unknown-fields` without properties is deduced. The root gets
 * ObjectMeta's metadata schema.
 */
import type { JsonValue } from '../api/types.js';
import { objectMeta, type Schema } from '../api/patch/schema.js';

type Props = Record<string, unknown>;
const isObj = (v: unknown): v is Props => v !== null && typeof v === 'object' && !Array.isArray(v);

function convert(js: unknown, depth: number): Schema | undefined {
  if (!isObj(js) || depth > 64) return undefined;
  if (js.type === 'array' || isObj(js.items)) {
    const lt = js['x-kubernetes-list-type'];
    const elem = convert(js.items, depth + 1);
    if (lt === 'map') {
      const keys = Array.isArray(js['x-kubernetes-list-map-keys'])
        ? (js['x-kubernetes-list-map-keys'] as unknown[]).filter((k): k is string => typeof k === 'string')
        : [];
      const keyDefaults: Record<string, JsonValue> = {};
      const itemProps = isObj(js.items) && isObj(js.items.properties) ? js.items.properties : {};
      for (const k of keys) {
        const d = isObj(itemProps[k]) ? (itemProps[k] as Props).default : undefined;
        if (d !== undefined) keyDefaults[k] = d as JsonValue;
      }
      return {
        listType: 'map',
        listMapKeys: keys,
        elem: elem ?? {},
        ...(Object.keys(keyDefaults).length ? { keyDefaults } : {}),
      };
    }
    if (lt === 'set') return { listType: 'set' };
    return { listType: 'atomic', ...(elem ? { elem } : {}) };
  }
  const atomic = js['x-kubernetes-map-type'] === 'atomic';
  if (isObj(js.properties)) {
    const fields: Record<string, Schema> = {};
    for (const [k, v] of Object.entries(js.properties)) {
      const f = convert(v, depth + 1);
      fields[k] = f ?? {};
    }
    return atomic ? { fields, atomic } : { fields };
  }
  if (isObj(js.additionalProperties)) {
    const elem = convert(js.additionalProperties, depth + 1) ?? {};
    return atomic ? { elem, atomic } : { elem };
  }
  return atomic ? { atomic } : undefined;
}

/** The apply schema of a custom resource version; undefined means fully deduced. */
export function applySchemaOf(schema: Record<string, unknown> | undefined): Schema | undefined {
  const root = convert(schema, 0);
  if (!root) return schema ? { fields: { metadata: objectMeta } } : undefined;
  return { ...root, fields: { ...(root.fields ?? {}), metadata: objectMeta } };
}
