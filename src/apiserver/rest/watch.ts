/**
 * WATCH: a newline-delimited stream of {"type","object"} events (ADDED, MODIFIED, DELETED,
 * BOOKMARK, ERROR) over HTTP/2 DATA frames or HTTP/1.1 chunks. Without a resourceVersion (or
 * with "0") the current state is sent first as ADDED events; with one, events after it are
 * replayed from the cache's history, or a 410 Expired ERROR event is sent when it is too old.
 * Selector transitions are reported as ADDED/DELETED, as upstream's cacher does. With a Table
 * Accept each event carries a one-row Table, column definitions only on the first.
 */
import type { ApiError } from '../../api/errors.js';
import { writer } from '../context.js';
import type { KubeObject } from '../../api/types.js';
import { buildMatcher, parseListOptions } from './list-options.js';
import type { CacheEvent, CachedObject } from './object-store.js';
import { asServedVersion, servedApiVersion, type RequestScope } from './scope.js';
import { buildTable, includeObjectOf } from './table.js';
import { goJson } from '../json-encode.js';

/** Upstream picks a random timeout in [minRequestTimeout, 2*minRequestTimeout) (1800s default). */
const DEFAULT_TIMEOUT_S = 1800;
const BOOKMARK_INTERVAL_MS = 60_000;

export function handleWatch(s: RequestScope, namespace: string): Promise<void> {
  const opts = parseListOptions(s.ctx.query);
  const match = buildMatcher(s.desc, opts);
  const prefix = s.store.listPrefix(namespace);
  const res = writer(s.ctx);
  const include = s.out.table ? includeObjectOf(s.ctx.query) : 'Metadata';
  const apiVersion = servedApiVersion(s);
  let headersSent = false;

  const encodeObject = (o: CachedObject | KubeObject): string => {
    const obj = 'bytes' in o ? (o as CachedObject).obj : (o as KubeObject);
    if (s.out.table) {
      const t = buildTable(
        s.desc,
        [obj],
        { resourceVersion: obj.metadata?.resourceVersion ?? '' },
        {
          version: s.out.table,
          include,
          noHeaders: headersSent,
          now: s.env.now(),
          served: (o) => asServedVersion(s, o),
        },
      );
      headersSent = true;
      return goJson(t);
    }
    if ('bytes' in o && obj.apiVersion === apiVersion) return (o as CachedObject).bytes.toString('utf8');
    return goJson(asServedVersion(s, obj));
  };
  const send = (type: string, o: CachedObject | KubeObject): void => {
    res.write(`{"type":"${type}","object":${encodeObject(o)}}\n`);
  };

  res.writeHead(200, {
    'content-type': 'application/json',
    'audit-id': s.ctx.auditID,
    'cache-control': 'no-cache, private',
  });

  return new Promise<void>((resolve) => {
    let done = false;
    const ref: { watcher?: { cancel(): void } } = {};
    let lastRv = 0;
    const finish = (): void => {
      if (done) return;
      done = true;
      ref.watcher?.cancel();
      clearTimeout(timer);
      clearInterval(bookmarks);
      if (!res.writableEnded) res.end();
      resolve();
    };
    const timeoutS = opts.timeoutSeconds ?? DEFAULT_TIMEOUT_S * (1 + Math.random());
    const timer = setTimeout(finish, timeoutS * 1000);
    const bookmarks = setInterval(() => {
      if (opts.allowWatchBookmarks && lastRv)
        send('BOOKMARK', { kind: s.desc.kind, apiVersion, metadata: { resourceVersion: String(lastRv) } });
    }, BOOKMARK_INTERVAL_MS);
    s.ctx.req.on('close', finish);
    res.on('close', finish);

    const onEvents = (evs: CacheEvent[]): void => {
      if (done) return;
      for (const ev of evs) {
        lastRv = ev.revision;
        const cur = match ? match(ev.object.obj) : true;
        const prev = ev.prev ? (match ? match(ev.prev.obj) : true) : false;
        if (ev.type === 'ADDED') {
          if (cur) send('ADDED', ev.object);
        } else if (ev.type === 'DELETED') {
          if (cur) send('DELETED', ev.object);
        } else if (cur && prev) send('MODIFIED', ev.object);
        else if (cur) send('ADDED', ev.object);
        else if (prev) send('DELETED', ev.object);
      }
    };
    const onError = (e: ApiError): void => {
      if (done) return;
      res.write(`{"type":"ERROR","object":${goJson(e.toStatus())}}\n`);
      finish();
    };

    const rv = opts.resourceVersion;
    const initial = rv === '' || rv === '0' || opts.sendInitialEvents === true;
    let from = initial ? s.store.cache.revision() : Number(rv);
    if (initial) {
      if (opts.sendInitialEvents === true && rv !== '' && rv !== '0') from = Math.max(from, Number(rv));
      for (const o of s.store.cache.list(prefix)) if (!match || match(o.obj)) send('ADDED', o);
      lastRv = from;
      if (opts.sendInitialEvents === true && opts.allowWatchBookmarks) {
        send('BOOKMARK', {
          kind: s.desc.kind,
          apiVersion,
          metadata: { resourceVersion: String(from), annotations: { 'k8s.io/initial-events-end': 'true' } },
        });
      }
    }
    ref.watcher = s.store.cache.watch(prefix, from, onEvents, onError);
  });
}
