/**
 * The CRD lifecycle end to end with the real kubectl (1.33 and 1.27): accepted names and
 * conditions, a name conflict (NamesAccepted False, not Established, not served), invalid CRDs
 * refused with upstream texts, namespace deletion removing custom resources, the cleanup
 * finalizer (a CR finalizer keeps the CRD Terminating and refuses creates), deleting a CRD
 * deleting its objects, and a restart serving the CRDs and objects again.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from './harness.js';
import { GIZMOS_CRD, WIDGETS_CRD, widget } from './fixtures/crds.js';

for (const version of ['1.33', '1.27'])
  describe(`CRD lifecycle with kubectl.${version}`, () => {
    let srv: TestServer;
    const k = (args: string[], input?: string) => srv.kubectl(version, args, { input });
    const ok = async (args: string[], input?: string) => {
      const r = await k(args, input);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };

    before(async () => {
      srv = await startServer();
      await ok(['create', 'namespace', 'foo']);
      await ok(['apply', '-f', '-'], WIDGETS_CRD);
      await ok(['apply', '-f', '-'], GIZMOS_CRD);
      await ok([
        'wait',
        '--for=condition=Established',
        'crd/widgets.example.com',
        'crd/gizmos.example.com',
        '--timeout=20s',
      ]);
    });
    after(async () => {
      await srv?.stop();
    });

    test('a second CRD with taken kind names is not Established (the last conflict, ListKindConflict)', async () => {
      await ok(
        ['apply', '-f', '-'],
        GIZMOS_CRD.replace('name: gizmos.example.com', 'name: doohickeys.example.com').replace(
          'plural: gizmos',
          'plural: doohickeys',
        ),
      );
      let crd: {
        status?: { conditions?: { type: string; status: string; reason: string; message: string }[] };
      } = {};
      for (let i = 0; i < 50; i++) {
        crd = JSON.parse(await ok(['get', 'crd', 'doohickeys.example.com', '-o', 'json']));
        if (crd.status?.conditions?.length) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      const na = crd.status!.conditions!.find((c) => c.type === 'NamesAccepted')!;
      assert.deepEqual(
        [na.status, na.reason, na.message],
        ['False', 'ListKindConflict', '"GizmoList" is already in use'],
      );
      assert.equal(crd.status!.conditions!.find((c) => c.type === 'Established')!.status, 'False');
      assert.match((await k(['get', 'doohickeys'])).stderr, /doesn't have a resource type "doohickeys"/);
      await ok(['delete', 'crd', 'doohickeys.example.com']);
    });

    test('updating a CRD re-serves it: a new printer column and short name appear', async () => {
      await ok(['apply', '-f', '-'], widget('u1', 'red'));
      const changed = WIDGETS_CRD.replace('shortNames: [wd]', 'shortNames: [wd, wdg]').replace(
        '    - name: Color\n',
        '    - name: Replicas\n      type: integer\n      jsonPath: .spec.replicas\n    - name: Color\n',
      );
      assert.match(
        await ok(['apply', '-f', '-'], changed),
        /customresourcedefinition\.apiextensions\.k8s\.io\/widgets\.example\.com configured/,
      );
      let out = '';
      for (let i = 0; i < 50 && !/REPLICAS/.test(out); i++) {
        out = (await k(['get', 'wdg', '-n', 'foo'])).stdout;
        if (!/REPLICAS/.test(out)) await new Promise((res) => setTimeout(res, 100));
      }
      assert.match(out, /^NAME\s+SIZE\s+REPLICAS\s+COLOR\s+AGE\n/);
      assert.match(out, /^u1\s+3\s+red\s+\d+s$/m);
      // Server-side apply of the CRD itself (back to the fixture).
      assert.match(
        await ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], WIDGETS_CRD),
        /widgets\.example\.com serverside-applied/,
      );
      const crd = JSON.parse(await ok(['get', 'crd', 'widgets.example.com', '-o', 'json']));
      assert.deepEqual(crd.spec.names.shortNames, ['wd']);
      assert.equal(crd.metadata.generation, 3);
    });

    test('invalid CRDs are refused with upstream texts', async () => {
      const r = await k(
        ['apply', '-f', '-'],
        WIDGETS_CRD.replace('name: widgets.example.com', 'name: wrong.example.com'),
      );
      assert.match(
        r.stderr,
        /metadata\.name: Invalid value: "wrong\.example\.com": must be spec\.names\.plural\+"\."\+spec\.group/,
      );
      const w = await k(
        ['apply', '-f', '-'],
        GIZMOS_CRD.replace(/gizmos/g, 'things')
          .replace('kind: Gizmo', 'kind: Thing')
          .replace('  versions:', '  conversion:\n    strategy: Webhook\n  versions:'),
      );
      assert.match(w.stderr, /spec\.conversion\.strategy: Forbidden: Webhook conversion is not supported/);
      const s = await k(
        ['apply', '-f', '-'],
        GIZMOS_CRD.replace(/gizmos/g, 'things')
          .replace('kind: Gizmo', 'kind: Thing')
          .replace('storage: true', 'storage: false'),
      );
      assert.match(s.stderr, /must have exactly one version marked as storage version/);
    });

    test('deleting a namespace deletes the custom resources in it', async () => {
      await ok(['create', 'namespace', 'baz']);
      await ok(['apply', '-f', '-'], widget('z1', 'red').replace('namespace: foo', 'namespace: baz'));
      await ok(['delete', 'namespace', 'baz', '--timeout=30s']);
      const r = await k(['get', '--raw', '/apis/example.com/v1/widgets']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        JSON.parse(r.stdout).items.some(
          (i: { metadata: { namespace: string } }) => i.metadata.namespace === 'baz',
        ),
        false,
      );
    });

    test('a CR with a finalizer holds the CRD in Terminating; creates are refused until it is gone', async () => {
      const HELD = GIZMOS_CRD.replace(/gizmos/g, 'holds').replace('kind: Gizmo', 'kind: Hold');
      await ok(['apply', '-f', '-'], HELD);
      await ok(['wait', '--for=condition=Established', 'crd/holds.example.com', '--timeout=20s']);
      await ok(
        ['apply', '-f', '-'],
        'apiVersion: example.com/v1\nkind: Hold\nmetadata:\n  name: h1\n  finalizers: [example.com/hold]\n',
      );
      await ok(['delete', 'crd', 'holds.example.com', '--wait=false']);
      let term: { reason?: string; message?: string } | undefined;
      for (let i = 0; i < 50; i++) {
        const crd = JSON.parse(await ok(['get', 'crd', 'holds.example.com', '-o', 'json']));
        term = crd.status.conditions.find((c: { type: string }) => c.type === 'Terminating');
        if (term?.reason === 'InstanceDeletionCheck') break;
        await new Promise((res) => setTimeout(res, 100));
      }
      assert.equal(term?.reason, 'InstanceDeletionCheck');
      assert.equal(term?.message, 'could not confirm zero CustomResources remaining: 1 remaining');
      assert.ok(JSON.parse(await ok(['get', 'hold', 'h1', '-o', 'json'])).metadata.deletionTimestamp);
      const c = await k(
        ['create', '-f', '-'],
        'apiVersion: example.com/v1\nkind: Hold\nmetadata:\n  name: h2\n',
      );
      assert.match(c.stderr, /create not allowed while custom resource definition is terminating/);
      await ok(['patch', 'hold', 'h1', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
      let gone = false;
      for (let i = 0; i < 100 && !gone; i++) {
        gone = /NotFound/.test((await k(['get', 'crd', 'holds.example.com'])).stderr);
        if (!gone) await new Promise((res) => setTimeout(res, 100));
      }
      assert.ok(gone, 'the CRD is gone once its last object is');
    });

    test('deleting the CRD deletes its objects', async () => {
      await ok(['apply', '-f', '-'], widget('w1', 'red'));
      assert.match(await ok(['get', 'widgets', '-n', 'foo']), /^w1\s/m);
      await ok(['delete', 'crd', 'widgets.example.com', '--timeout=30s']);
      assert.match(
        (await k(['get', 'widgets', '-n', 'foo'])).stderr,
        /doesn't have a resource type "widgets"/,
      );
      assert.match((await k(['get', 'crd', 'widgets.example.com'])).stderr, /NotFound/);
      await ok(['apply', '-f', '-'], WIDGETS_CRD);
      await ok(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=20s']);
      const out = await k(['get', 'widgets', '-n', 'foo']);
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stderr, /No resources found in foo namespace/);
    });

    test('CRDs and custom resources survive a restart and are served again', async () => {
      await ok(['apply', '-f', '-'], widget('keep', 'red'));
      await srv.stop();
      srv = await startServer({ dir: srv.dir, port: srv.port });
      assert.match(await ok(['get', 'widgets', '-n', 'foo']), /^keep\s+3\s+red/m);
    });
  });
