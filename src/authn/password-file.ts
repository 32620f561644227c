/**
 * `--basic-auth-file`: static passwords (CSV `password,user,uid[,"group1,group2"]`) checked on
 * `Authorization: Basic`, after the password-file and basicauth authenticators Kubernetes had
 * until 1.18 (plugin/pkg/auth/authenticator/password/passwordfile, request/basicauth). Upstream
 * removed them in 1.19 and the seed calls static passwords "not recommended": kubeauth keeps the
 * flag for the seed's walkthrough and warns at start-up. A wrong password or an unknown user is
 * "invalid username/password combination", a 401. Passwords are compared in constant time
 * (over digests, so their lengths do not leak either).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CsvParseError, parseCsv } from './csv.js';
import type { AuthRequest, AuthResult, RequestAuthenticator, UserInfo } from './interfaces.js';

export const INVALID_BASIC_AUTH = 'invalid username/password combination';
export const BASIC_AUTH_WARNING =
  '--basic-auth-file is deprecated: static passwords were removed from Kubernetes in 1.19 and are not recommended; use client certificates or tokens';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export class PasswordFileAuthenticator implements RequestAuthenticator {
  private constructor(private readonly users: Map<string, { password: Buffer; user: UserInfo }>) {}

  static fromFile(path: string): PasswordFileAuthenticator {
    return PasswordFileAuthenticator.parse(readFileSync(path, 'utf8'), path);
  }

  static parse(text: string, path: string): PasswordFileAuthenticator {
    let records;
    try {
      records = parseCsv(text);
    } catch (e) {
      if (e instanceof CsvParseError) throw new Error(`password file '${path}': ${e.message}`, { cause: e });
      throw e;
    }
    const users = new Map<string, { password: Buffer; user: UserInfo }>();
    for (const { fields, line } of records) {
      if (fields.length < 3)
        throw new Error(
          `password file '${path}' must have at least 3 columns (password, user name, user uid), found ${fields.length} (line ${line})`,
        );
      users.set(fields[1], {
        password: digest(fields[0]),
        user: {
          name: fields[1],
          uid: fields[2],
          groups: fields.length >= 4 ? fields[3].split(',') : [],
          extra: {},
        },
      });
    }
    return new PasswordFileAuthenticator(users);
  }

  authenticate(req: AuthRequest): AuthResult {
    const header = req.headers['authorization']?.[0];
    const m = header && /^Basic ([A-Za-z0-9+/=]*)$/i.exec(header.trim());
    if (!m) return { ok: false };
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { ok: false };
    const name = decoded.slice(0, colon);
    const entry = this.users.get(name);
    const given = digest(decoded.slice(colon + 1));
    // Compare against something even for an unknown user, so both cases take the same time.
    const ok = timingSafeEqual(entry?.password ?? digest('\0no such user'), given) && entry !== undefined;
    if (!ok) return { ok: false, error: new Error(INVALID_BASIC_AUTH) };
    const u = entry.user;
    return { ok: true, response: { user: { ...u, groups: [...u.groups], extra: {} } } };
  }
}
