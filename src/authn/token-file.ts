/**
 * `--token-auth-file`: static bearer tokens from a CSV file `token,user,uid[,"group1,group2"]`,
 * after k8s.io/apiserver/pkg/authentication/token/tokenfile/tokenfile.go. Records need at least
 * three columns; an empty token is skipped and a duplicate token replaces the earlier record (each
 * with a warning naming the record); a fourth column is split on "," into groups; extra columns
 * are ignored. A token that is not in the file is "not mine".
 *
 * Tokens are held only as SHA-256 digests, so a lookup neither keeps the raw secret in memory
 * nor compares secrets byte by byte: the map key is a digest of the presented token.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CsvParseError, parseCsv } from './csv.js';
import type { AuthResult, TokenAuthenticator, UserInfo } from './interfaces.js';

const digest = (token: string): string => createHash('sha256').update(token).digest('base64');

export class TokenFileAuthenticator implements TokenAuthenticator {
  private constructor(private readonly users: Map<string, UserInfo>) {}

  /** Reads and parses `path`; throws an Error naming the file and the bad record. */
  static fromFile(path: string, warn: (msg: string) => void = () => undefined): TokenFileAuthenticator {
    return TokenFileAuthenticator.parse(readFileSync(path, 'utf8'), path, warn);
  }

  static parse(
    text: string,
    path: string,
    warn: (msg: string) => void = () => undefined,
  ): TokenFileAuthenticator {
    let records;
    try {
      records = parseCsv(text);
    } catch (e) {
      if (e instanceof CsvParseError) throw new Error(`token file '${path}': ${e.message}`, { cause: e });
      throw e;
    }
    const users = new Map<string, UserInfo>();
    let recordNum = 0;
    for (const { fields, line } of records) {
      if (fields.length < 3)
        throw new Error(
          `token file '${path}' must have at least 3 columns (token, user name, user uid), found ${fields.length} (line ${line})`,
        );
      recordNum++;
      if (fields[0] === '') {
        warn(`empty token has been found in token file '${path}', record number '${recordNum}'`);
        continue;
      }
      const key = digest(fields[0]);
      if (users.has(key))
        warn(`duplicate token has been found in token file '${path}', record number '${recordNum}'`);
      users.set(key, {
        name: fields[1],
        uid: fields[2],
        groups: fields.length >= 4 ? fields[3].split(',') : [],
        extra: {},
      });
    }
    return new TokenFileAuthenticator(users);
  }

  get size(): number {
    return this.users.size;
  }

  authenticateToken(token: string): AuthResult {
    const user = this.users.get(digest(token));
    if (!user) return { ok: false };
    return { ok: true, response: { user: { ...user, groups: [...user.groups], extra: {} } } };
  }
}
