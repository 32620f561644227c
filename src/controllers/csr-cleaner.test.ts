/**
 * The csrcleaner rules (pkg/controller/certificates/cleaner/cleaner_test.go TestCleanerWithApprovedExpiredCSR
 * and TestHandle rows): approved+issued, denied or failed for over an hour, pending for over 24
 * hours, issued with an expired certificate; everything else kept. Time is injected.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSelfSignedCa, type CertAndKey } from '../pki/cert.js';
import { createCsr, signCsr } from '../pki/csr.js';
import { generateRsaKeyPair } from '../pki/keys.js';
import type { KubeObject } from '../api/types.js';
import { newObjectCache } from '../apiserver/rest/cache-adapter.js';
import { ObjectStore, storagePrefix } from '../apiserver/rest/object-store.js';
import { certificatesigningrequests } from '../registry/resources/certificates.js';
import { openSqliteStore } from '../storage/sqlite.js';
import { CsrCleaner, cleanupReason } from './csr-cleaner.js';

const now = new Date('2031-06-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString().replace(/\.\d+Z$/, 'Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
let ca: CertAndKey;
let valid = '';
let expired = '';

before(async () => {
  const [caKeys, keys] = await Promise.all([generateRsaKeyPair(), generateRsaKeyPair()]);
  ca = await createSelfSignedCa({
    commonName: 'kubernetes',
    keyPair: caKeys,
    now: new Date('2030-01-01T00:00:00Z'),
  });
  const pem = await createCsr({ commonName: 'u', privateKeyPem: keys.privateKeyPem });
  valid = Buffer.from(await signCsr(pem, ca, { usages: ['client auth'], now })).toString('base64');
  expired = Buffer.from(
    await signCsr(pem, ca, {
      usages: ['client auth'],
      now: new Date(now.getTime() - 2 * HOUR),
      durationSeconds: 3600,
    }),
  ).toString('base64');
});

const csr = (created: string, status: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'c', creationTimestamp: created },
  spec: {},
  status,
});
const cond = (type: string, updated: string) => ({ type, status: 'True', lastUpdateTime: updated });

test('cleanupReason', () => {
  const rows: [string, KubeObject, boolean][] = [
    ['pending, 23 hours', csr(ago(23 * HOUR)), false],
    ['pending, 25 hours', csr(ago(25 * HOUR)), true],
    ['pending without creationTimestamp', csr(''), false],
    [
      'approved and issued, 59 minutes',
      csr(ago(2 * HOUR), { conditions: [cond('Approved', ago(59 * MIN))], certificate: valid }),
      false,
    ],
    [
      'approved and issued, 61 minutes',
      csr(ago(2 * HOUR), { conditions: [cond('Approved', ago(61 * MIN))], certificate: valid }),
      true,
    ],
    [
      'approved, not issued, 2 hours',
      csr(ago(3 * HOUR), { conditions: [cond('Approved', ago(2 * HOUR))] }),
      false,
    ],
    [
      'approved, lastUpdateTime unset',
      csr(ago(3 * HOUR), { conditions: [{ type: 'Approved', status: 'True' }], certificate: valid }),
      false,
    ],
    ['denied, 59 minutes', csr(ago(2 * HOUR), { conditions: [cond('Denied', ago(59 * MIN))] }), false],
    ['denied, 61 minutes', csr(ago(2 * HOUR), { conditions: [cond('Denied', ago(61 * MIN))] }), true],
    [
      'failed, 61 minutes',
      csr(ago(2 * HOUR), { conditions: [cond('Approved', ago(61 * MIN)), cond('Failed', ago(61 * MIN))] }),
      true,
    ],
    [
      'approved 1 minute ago, certificate expired',
      csr(ago(3 * HOUR), { conditions: [cond('Approved', ago(MIN))], certificate: expired }),
      true,
    ],
  ];
  for (const [name, o, want] of rows) assert.equal(cleanupReason(o, now) !== undefined, want, name);
  assert.equal(
    cleanupReason(csr(ago(25 * HOUR)), now),
    'it is more than pendingExpiration duration old and unhandled',
  );
});

test('the controller deletes what the rules say, at the injected time, and keeps the rest', async () => {
  const store = await openSqliteStore(':memory:', { compaction: false });
  const cache = await newObjectCache(store, storagePrefix(certificatesigningrequests));
  const csrs = new ObjectStore(certificatesigningrequests, store, cache);
  const put = (name: string, o: KubeObject) =>
    csrs.create({
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      ...o,
      metadata: { ...o.metadata, name },
    });
  await put('old-pending', csr(ago(25 * HOUR)));
  await put('new-pending', csr(ago(HOUR)));
  await put('old-denied', csr(ago(2 * HOUR), { conditions: [cond('Denied', ago(61 * MIN))] }));
  await put('issued', csr(ago(2 * HOUR), { conditions: [cond('Approved', ago(MIN))], certificate: valid }));
  const logs: string[] = [];
  const cleaner = new CsrCleaner(csrs, { now: () => now, log: (m) => logs.push(m) });
  cleaner.start();
  try {
    await cleaner.idle();
    const left = cache.list(csrs.prefix).map((o) => o.obj.metadata?.name);
    assert.deepEqual(left.sort(), ['issued', 'new-pending']);
    assert.ok(
      logs.includes(
        'csr cleaner: deleting CSR "old-pending" as it is more than pendingExpiration duration old and unhandled',
      ),
    );
  } finally {
    cleaner.stop();
    await store.close?.();
  }
});
