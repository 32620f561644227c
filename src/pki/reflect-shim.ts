/**
 * @module pki/reflect-shim
 *
 * `@peculiar/x509`'s CommonJS build (the one Node's ESM loader picks, since the package has no
 * `exports` map) loads `tsyringe`, which refuses to start without a Reflect metadata polyfill
 * (`reflect-metadata`), and that package is not a dependency. This module installs the small
 * subset tsyringe uses (`defineMetadata`, `getMetadata`, `getOwnMetadata`, `metadata`) on the
 * global `Reflect` when it is missing. Import it before `@peculiar/x509`; a real polyfill, if one is
 * loaded first, is left alone.
 */
type MetaKey = unknown;
type Target = object;

const store = new WeakMap<Target, Map<PropertyKey | undefined, Map<MetaKey, unknown>>>();

function own(
  target: Target,
  prop: PropertyKey | undefined,
  create: boolean,
): Map<MetaKey, unknown> | undefined {
  let byProp = store.get(target);
  if (!byProp) {
    if (!create) return undefined;
    byProp = new Map();
    store.set(target, byProp);
  }
  let meta = byProp.get(prop);
  if (!meta && create) {
    meta = new Map();
    byProp.set(prop, meta);
  }
  return meta;
}

const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== 'function') {
  const defineMetadata = (key: MetaKey, value: unknown, target: Target, prop?: PropertyKey): void => {
    own(target, prop, true)!.set(key, value);
  };
  const getOwnMetadata = (key: MetaKey, target: Target, prop?: PropertyKey): unknown =>
    own(target, prop, false)?.get(key);
  const getMetadata = (key: MetaKey, target: Target, prop?: PropertyKey): unknown => {
    for (let t: Target | null = target; t; t = Object.getPrototypeOf(t) as Target | null) {
      const m = own(t, prop, false);
      if (m?.has(key)) return m.get(key);
    }
    return undefined;
  };
  R.defineMetadata = defineMetadata;
  R.getOwnMetadata = getOwnMetadata;
  R.getMetadata = getMetadata;
  R.metadata =
    (key: MetaKey, value: unknown) =>
    (target: Target, prop?: PropertyKey): void =>
      defineMetadata(key, value, target, prop);
}

export {};
