/**
 * Server-side apply with the real kubectl: co-ownership of equal values by two field managers,
 * kubectl's conflict error (exit 1) when a manager changes another's field, `--force-conflicts`
 * taking ownership, and a client-side apply → server-side apply → client-side apply round trip
 * keeping `kubectl.kubernetes.io/last-applied-configuration` in sync (upstream's
 * test/cmd/apply.sh "kubectl apply --server-side" cases and fieldmanager's lastappliedupdater).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, type TestServer } from './harness.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const deployment = (name: string, replicas: number, image = 'nginx:1.25'): string =>
  [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  namespace: default',
    'spec:',
    `  replicas: ${replicas}`,
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
    '      containers:',
    `      - {name: web, image: "${image}"}`,
    '',
  ].join('\n');

type Entry = { manager: string; operation: string; fieldsV1: Record<string, any> };

for (const version of ['1.33', '1.27']) {
  describe(`kubectl ${version} apply --server-side`, () => {
    let srv: TestServer;
    const k = (...args: string[]) => srv.kubectl(version, args);
    const file = (name: string, body: string): string => {
      const f = path.join(srv.dir, `${name}.yaml`);
      writeFileSync(f, body);
      return f;
    };
    const entries = async (name: string): Promise<Entry[]> => {
      const r = await k('get', 'deployment', name, '-o', 'json', '--show-managed-fields');
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout).metadata.managedFields;
    };
    const owns = (e: Entry | undefined): boolean => !!e?.fieldsV1?.['f:spec']?.['f:replicas'];

    before(async () => {
      srv = await startServer();
    });
    after(async () => {
      await srv?.stop();
    });

    test('two managers applying the same values co-own them', async () => {
      const f = file('shared', deployment('shared', 2));
      let r = await k('apply', '--server-side', '--field-manager=a', '-f', f);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'deployment.apps/shared serverside-applied');
      r = await k('apply', '--server-side', '--field-manager=b', '-f', f);
      assert.equal(r.code, 0, r.stderr);
      const mf = await entries('shared');
      assert.deepEqual(mf.map((e) => [e.manager, e.operation]).sort(), [
        ['a', 'Apply'],
        ['b', 'Apply'],
      ]);
      assert.ok(mf.every(owns), 'both list .spec.replicas');
    });

    test("a conflicting value fails with kubectl's conflict error; --force-conflicts takes ownership", async () => {
      const f = file('contested', deployment('contested', 2));
      assert.equal((await k('apply', '--server-side', '--field-manager=a', '-f', f)).code, 0);
      writeFileSync(f, deployment('contested', 5));
      let r = await k('apply', '--server-side', '--field-manager=b', '-f', f);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^error: Apply failed with 1 conflict: conflict with "a": \.spec\.replicas$/m);
      assert.match(r.stderr, /--force-conflicts/);
      r = await k('get', 'deployment', 'contested', '-o', 'jsonpath={.spec.replicas}');
      assert.equal(r.stdout, '2', 'nothing written');

      r = await k('apply', '--server-side', '--field-manager=b', '--force-conflicts', '-f', f);
      assert.equal(r.code, 0, r.stderr);
      r = await k('get', 'deployment', 'contested', '-o', 'jsonpath={.spec.replicas}');
      assert.equal(r.stdout, '5');
      const mf = await entries('contested');
      assert.ok(owns(mf.find((e) => e.manager === 'b')));
      assert.ok(!owns(mf.find((e) => e.manager === 'a')), 'a lost .spec.replicas');

      // an update (kubectl scale through the scale subresource, manager from the User-Agent)
      // never conflicts and takes the field from the applier, which then conflicts with it
      r = await k('scale', 'deployment', 'contested', '--replicas=7');
      assert.equal(r.code, 0, r.stderr);
      writeFileSync(f, deployment('contested', 9));
      r = await k('apply', '--server-side', '--field-manager=b', '-f', f);
      assert.equal(r.code, 1);
      const ua = `kubectl\\.${version.replace('.', '\\.')}`;
      assert.match(
        r.stderr,
        new RegExp(
          `^error: Apply failed with 1 conflict: conflict with "${ua}" with subresource "scale" using apps/v1: \\.spec\\.replicas$`,
          'm',
        ),
      );
    });

    test('client-side apply, then --server-side, then client-side: the annotation follows', async () => {
      const f = file('upgrade', deployment('upgrade', 2, 'nginx:1.25'));
      let r = await k('apply', '-f', f);
      assert.equal(r.code, 0, r.stderr);
      // server-side apply by "kubectl" over the client-side apply: no conflict, annotation synced
      writeFileSync(f, deployment('upgrade', 3, 'nginx:1.26'));
      r = await k('apply', '--server-side', '-f', f);
      assert.equal(r.code, 0, r.stderr);
      r = await k('get', 'deployment', 'upgrade', '-o', 'json');
      const obj = JSON.parse(r.stdout);
      const last = JSON.parse(obj.metadata.annotations[LAST_APPLIED]);
      assert.equal(last.spec.replicas, 3);
      assert.equal(last.spec.template.spec.containers[0].image, 'nginx:1.26');
      assert.equal(obj.spec.replicas, 3);
      // back to client-side apply: its three-way diff starts from the synced annotation
      writeFileSync(f, deployment('upgrade', 4, 'nginx:1.26'));
      r = await k('apply', '-f', f);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout.trim(), 'deployment.apps/upgrade configured');
      r = await k('get', 'deployment', 'upgrade', '-o', 'json');
      const after = JSON.parse(r.stdout);
      assert.equal(after.spec.replicas, 4);
      assert.equal(JSON.parse(after.metadata.annotations[LAST_APPLIED]).spec.replicas, 4);
    });

    test('a field changed since the last client-side apply still conflicts on the upgrade', async () => {
      const f = file('drifted', deployment('drifted', 2));
      assert.equal((await k('apply', '-f', f)).code, 0);
      assert.equal((await k('scale', 'deployment', 'drifted', '--replicas=6')).code, 0);
      writeFileSync(f, deployment('drifted', 3));
      const r = await k('apply', '--server-side', '-f', f);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /Apply failed with 1 conflict: conflict with "kubectl.*\.spec\.replicas/);
    });

    test('test/cmd/apply.sh: upgrade client-side → server-side, view-last-applied, downgrade', async () => {
      const podYaml = (label: string): string =>
        `apiVersion: v1\nkind: Pod\nmetadata:\n  name: test-pod\n  namespace: default\n  labels:\n    name: ${label}\nspec:\n  containers:\n  - name: kubernetes-pause\n    image: registry.k8s.io/pause:3.9\n`;
      const original = file('pod', podYaml('test-pod-label'));
      const changed = file('pod-apply', podYaml('test-pod-applied'));
      const label = async (): Promise<string> =>
        (await k('get', 'pod', 'test-pod', '-o', 'jsonpath={.metadata.labels.name}')).stdout;
      const lastApplied = async (): Promise<string> =>
        (await k('apply', 'view-last-applied', 'pod/test-pod', '-o', 'json')).stdout;
      assert.equal((await k('apply', '-f', original)).code, 0);
      // the upgrade is reserved to the field manager "kubectl"
      let r = await k('apply', '--server-side', '--field-manager=not-kubectl', '-f', changed);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: \.metadata\.labels\.name/,
      );
      r = await k('apply', '--server-side', '-f', changed);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await label(), 'test-pod-applied');
      assert.match(await lastApplied(), /"name": "test-pod-applied"/);
      // downgrade: server-side back to the original, then client-side to the change
      r = await k('apply', '--server-side', '-f', original);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await label(), 'test-pod-label');
      assert.match(await lastApplied(), /"name": "test-pod-label"/);
      r = await k('apply', '-f', changed);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await label(), 'test-pod-applied');
      // dry-run=server changes nothing
      const rv = (await k('get', 'pod', 'test-pod', '-o', 'jsonpath={.metadata.resourceVersion}')).stdout;
      r = await k('apply', '--server-side', '--dry-run=server', '-f', original);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await label(), 'test-pod-applied');
      assert.equal(
        (await k('get', 'pod', 'test-pod', '-o', 'jsonpath={.metadata.resourceVersion}')).stdout,
        rv,
      );
    });

    test('removing a field from the applied configuration releases and deletes it', async () => {
      const withLabel = deployment('release', 2).replace(
        '  namespace: default\n',
        '  namespace: default\n  labels: {tier: web}\n',
      );
      const f = file('release', withLabel);
      assert.equal((await k('apply', '--server-side', '--field-manager=a', '-f', f)).code, 0);
      writeFileSync(f, deployment('release', 2));
      assert.equal((await k('apply', '--server-side', '--field-manager=a', '-f', f)).code, 0);
      const r = await k('get', 'deployment', 'release', '-o', 'jsonpath={.metadata.labels}');
      assert.equal(r.stdout, '');
    });
  });
}
