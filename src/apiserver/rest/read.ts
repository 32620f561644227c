/**
 * GET, LIST and WATCH of stored resources, served from the watch cache: objects go out as the
 * bytes cached per resourceVersion (no re-encoding), lists are concatenated from them, Tables are
 * built on demand. Continue tokens for later pages are served from the store's snapshot at the
 * first page's revision (410 Expired once compacted), as etcd-backed upstream does.
 */
import { notFound, resourceExpired } from '../../api/errors.js';
import { StorageError } from '../../storage/interfaces.js';
import { writeJsonBytes, writeObject } from '../responses.js';
import { goJson } from '../json-encode.js';
import {
  buildMatcher,
  decodeContinue,
  encodeContinue,
  parseListOptions,
  type Matcher,
} from './list-options.js';
import { decodeStored, type CachedObject } from './object-store.js';
import { asServedVersion, servedApiVersion, type RequestScope } from './scope.js';
import { buildTable, includeObjectOf } from './table.js';

export function writeCached(s: RequestScope, code: number, o: CachedObject): void {
  if (s.out.table) {
    const t = buildTable(
      s.desc,
      [o.obj],
      { resourceVersion: String(o.rv) },
      {
        version: s.out.table,
        include: includeObjectOf(s.ctx.query),
        now: s.env.now(),
        served: (o) => asServedVersion(s, o),
      },
    );
    writeObject(s.ctx, code, t);
  } else if (s.out.yaml || o.obj.apiVersion !== servedApiVersion(s)) {
    writeObject(s.ctx, code, asServedVersion(s, o.obj));
  } else {
    writeJsonBytes(s.ctx, code, o.bytes, () => o.obj, o.framed);
  }
}

export function handleGet(s: RequestScope, namespace: string, name: string): void {
  const o = s.store.get(namespace, name);
  if (!o) throw notFound(s.store.gr, name);
  writeCached(s, 200, o);
}

const expiredContinue =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

interface Page {
  items: CachedObject[];
  rv: number;
  continueKey?: string;
  remaining?: number;
}

async function pageFromStore(
  s: RequestScope,
  prefix: string,
  rv: number,
  startAfter: string,
  limit: number,
  match?: Matcher,
): Promise<Page> {
  const items: CachedObject[] = [];
  let after = startAfter;
  for (;;) {
    let r;
    try {
      r = await s.store.store.range(prefix, { startAfter: after, limit: limit || undefined, revision: rv });
    } catch (e) {
      if (e instanceof StorageError && e.code === 'Compacted') throw resourceExpired(expiredContinue);
      throw e;
    }
    for (const kv of r.kvs) {
      const o = decodeStored(kv);
      after = kv.key;
      if (!match || match(o.obj)) items.push(o);
      if (limit && items.length >= limit) break;
    }
    if (!r.more || (limit && items.length >= limit)) {
      const more = r.more || (limit > 0 && items.length >= limit && after !== r.kvs[r.kvs.length - 1]?.key);
      return { items, rv, continueKey: more ? after : undefined };
    }
  }
}

function pageFromCache(s: RequestScope, prefix: string, limit: number, match?: Matcher): Page {
  const rv = s.store.cache.revision();
  const all = s.store.cache.list(prefix);
  const items: CachedObject[] = [];
  let i = 0;
  for (; i < all.length; i++) {
    if (match && !match(all[i].obj)) continue;
    if (limit && items.length >= limit) break;
    items.push(all[i]);
  }
  if (limit && i < all.length) {
    return {
      items,
      rv,
      continueKey: items[items.length - 1].key,
      remaining: match ? undefined : all.length - i,
    };
  }
  return { items, rv };
}

export async function handleList(s: RequestScope, namespace: string): Promise<void> {
  const opts = parseListOptions(s.ctx.query);
  const match = buildMatcher(s.desc, opts);
  const prefix = s.store.listPrefix(namespace);
  let page: Page;
  if (opts.continueToken) {
    const t = decodeContinue(opts.continueToken);
    page = await pageFromStore(s, prefix, t.rv, prefix + t.start, opts.limit, match);
  } else {
    page = pageFromCache(s, prefix, opts.limit, match);
  }
  const meta: Record<string, unknown> = { resourceVersion: String(page.rv) };
  if (page.continueKey)
    meta.continue = encodeContinue({ rv: page.rv, start: page.continueKey.slice(prefix.length) });
  if (page.remaining !== undefined) meta.remainingItemCount = page.remaining;
  if (s.out.table) {
    writeObject(
      s.ctx,
      200,
      buildTable(
        s.desc,
        page.items.map((o) => o.obj),
        meta,
        {
          version: s.out.table,
          include: includeObjectOf(s.ctx.query),
          now: s.env.now(),
          served: (o) => asServedVersion(s, o),
        },
      ),
    );
    return;
  }
  const apiVersion = servedApiVersion(s);
  if (s.out.yaml) {
    writeObject(s.ctx, 200, {
      kind: s.desc.listKind,
      apiVersion,
      metadata: meta,
      items: page.items.map((o) => asServedVersion(s, o.obj)),
    });
    return;
  }
  const head = `{"kind":${goJson(s.desc.listKind)},"apiVersion":${goJson(apiVersion)},"metadata":${goJson(meta)},"items":[`;
  const parts: Buffer[] = [Buffer.from(head)];
  page.items.forEach((o, i) => {
    if (i) parts.push(Buffer.from(','));
    parts.push(o.obj.apiVersion === apiVersion ? o.bytes : Buffer.from(goJson(asServedVersion(s, o.obj))));
  });
  parts.push(Buffer.from(']}'));
  writeJsonBytes(s.ctx, 200, Buffer.concat(parts));
}
