/**
 * A small HTTP/2 client for end-to-end tests that need raw requests (status codes, bodies,
 * headers kubectl would never send), authenticated with the admin kubeconfig's client
 * certificate.
 */
import http2 from 'node:http2';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface Credentials {
  ca: string;
  cert?: string;
  key?: string;
}

export function credentialsFromKubeconfig(file: string): Credentials {
  const kc = parse(readFileSync(file, 'utf8'));
  const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');
  return {
    ca: b64(kc.clusters[0].cluster['certificate-authority-data']),
    cert: b64(kc.users[0].user['client-certificate-data']),
    key: b64(kc.users[0].user['client-key-data']),
  };
}

export interface Response {
  status: number;
  headers: http2.IncomingHttpHeaders;
  body: Buffer;
  json(): any;
}

export class Client {
  private session: http2.ClientHttp2Session;

  constructor(port: number, creds: Credentials) {
    this.session = http2.connect(`https://127.0.0.1:${port}`, {
      ca: creds.ca,
      cert: creds.cert,
      key: creds.key,
      servername: 'localhost',
    });
    this.session.on('error', () => undefined);
  }

  request(
    method: string,
    path: string,
    body?: Buffer | string,
    headers: Record<string, string | string[]> = {},
  ): Promise<Response> {
    return new Promise((resolve, reject) => {
      const req = this.session.request(
        {
          ':method': method,
          ':path': path,
          ...(body !== undefined && !headers['content-type'] ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        // node:http2 ends DELETE streams at once unless told otherwise; a DeleteOptions body needs it open.
        { endStream: body === undefined },
      );
      const chunks: Buffer[] = [];
      let hdrs: http2.IncomingHttpHeaders = {};
      req.on('response', (h) => (hdrs = h));
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const buf = Buffer.concat(chunks);
        resolve({
          status: Number(hdrs[':status']),
          headers: hdrs,
          body: buf,
          json: () => JSON.parse(buf.toString('utf8')),
        });
      });
      req.on('error', reject);
      if (body !== undefined) req.end(body);
      else req.end();
    });
  }

  close(): void {
    this.session.close();
  }
}
