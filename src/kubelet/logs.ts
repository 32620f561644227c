/**
 * @module kubelet/logs
 *
 * `/logs/`: the node's log directory over HTTP, as the kubelet's `ServeLogs` does
 * (`http.StripPrefix("/logs/", http.FileServer(http.Dir("/var/log/")))`): a directory is an HTML
 * listing (Go's `dirList`), a directory named without its trailing slash is redirected to it, a file
 * is sent as is, a missing one is `404 page not found`.
 *
 * Deliberately stricter than Go's http.Dir: a path (or symlink) that resolves outside the log
 * directory is answered 404, never followed.
 */
import { createReadStream, promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end('404 page not found\n');
}

function htmlEscape(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!,
  );
}

const TYPES: Record<string, string> = {
  '.log': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
  '.gz': 'application/gzip',
};

/** Serves `rel` (the path after /logs/, URL-decoded) from `root`. */
export async function serveLogs(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  rel: string,
): Promise<void> {
  let realRoot: string;
  try {
    realRoot = await fsp.realpath(root);
  } catch {
    return notFound(res);
  }
  const clean = path.posix.normalize('/' + rel);
  let target: string;
  try {
    target = await fsp.realpath(path.join(realRoot, clean));
  } catch {
    return notFound(res);
  }
  if (target !== realRoot && !target.startsWith(realRoot + path.sep)) return notFound(res);
  const st = await fsp.stat(target).catch(() => undefined);
  if (!st) return notFound(res);
  if (st.isDirectory()) {
    if (rel !== '' && !rel.endsWith('/')) {
      res.writeHead(301, { location: path.posix.basename(rel) + '/' });
      res.end();
      return;
    }
    const names = (await fsp.readdir(target, { withFileTypes: true }).catch(() => undefined)) ?? [];
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const rows = names.map((d) => {
      const n = d.isDirectory() ? `${d.name}/` : d.name;
      return `<a href="${htmlEscape(encodeURI(n))}">${htmlEscape(n)}</a>\n`;
    });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html>\n<meta name="viewport" content="width=device-width">\n<pre>\n${rows.join('')}</pre>\n`,
    );
    return;
  }
  if (!st.isFile()) return notFound(res);
  res.writeHead(200, {
    'content-type': TYPES[path.extname(target)] ?? 'text/plain; charset=utf-8',
    'content-length': st.size,
    'last-modified': st.mtime.toUTCString(),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const s = createReadStream(target);
  s.on('error', () => res.destroy());
  s.pipe(res);
}
