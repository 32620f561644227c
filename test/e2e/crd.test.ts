/**
 * Custom resources served from CRDs, end to end with the real kubectl (1.33 and 1.27): discovery
 * (api-resources), get with printer columns, short names, a second version, explain from the CRD
 * schema, server-side apply (managed fields, list-type map merging), the CEL message for an
 * invalid object, strict/warn field validation, selectable fields, `get all` by category, status
 * and scale subresources with generation, strategic merge patch refused, cluster scope, RBAC
 * through an aggregated ClusterRole, client-side apply, dry run, deletecollection, and malformed
 * or protobuf bodies. CRD lifecycle (names, validation, deletion, restart): crd-lifecycle.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mainJs, run, startServer, type TestServer } from './harness.js';
import { Client, credentialsFromKubeconfig } from './client.js';
import { GIZMOS_CRD, WIDGETS_CRD, widget } from './fixtures/crds.js';

for (const version of ['1.33', '1.27'])
  describe(`CustomResourceDefinitions with kubectl.${version}`, () => {
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

    test('the CRD gets accepted names, NamesAccepted, Established and its stored version', async () => {
      const crd = JSON.parse(await ok(['get', 'crd', 'widgets.example.com', '-o', 'json']));
      assert.equal(crd.spec.names.singular, 'widget');
      assert.equal(crd.spec.names.listKind, 'WidgetList');
      assert.equal(crd.spec.conversion.strategy, 'None');
      assert.deepEqual(crd.status.storedVersions, ['v1']);
      assert.equal(crd.status.acceptedNames.kind, 'Widget');
      const cond = Object.fromEntries(
        crd.status.conditions.map((c: { type: string; reason: string }) => [c.type, c.reason]),
      );
      assert.deepEqual(cond, { NamesAccepted: 'NoConflicts', Established: 'InitialNamesAccepted' });
      const table = await ok(['get', 'crd']);
      assert.match(table, /^NAME\s+CREATED AT\n/);
      assert.match(table, /^widgets\.example\.com\s+\d{4}-\d\d-\d\dT/m);
    });

    test('api-resources lists the custom resources', async () => {
      const out = await ok(['api-resources', '--api-group=example.com']);
      assert.match(out, /^widgets\s+wd\s+example\.com\/v1\s+true\s+Widget$/m);
      assert.match(out, /^gizmos\s+example\.com\/v1\s+false\s+Gizmo$/m);
      assert.match(
        await ok(['api-resources']),
        /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/m,
      );
    });

    test('create, get with printer columns, short name, other version', async () => {
      assert.match(await ok(['apply', '-f', '-'], widget('w1', 'red')), /widget\.example\.com\/w1 created/);
      const out = await ok(['get', 'wd', '-n', 'foo']);
      assert.match(out, /^NAME\s+SIZE\s+COLOR\s+AGE\n/);
      assert.match(out, /^w1\s+3\s+red\s+\d+s\n/m);
      const dep = await k(['get', 'widgets.v1beta1.example.com', '-n', 'foo']);
      assert.match(dep.stderr, /Warning: example\.com\/v1beta1 Widget is deprecated/);
      const v1beta1 = await ok([
        'get',
        'widgets.v1beta1.example.com',
        'w1',
        '-n',
        'foo',
        '-o',
        'jsonpath={.apiVersion} {.spec.size}',
      ]);
      assert.equal(v1beta1, 'example.com/v1beta1 3');
      assert.equal(
        await ok(['get', 'widget', 'w1', '-n', 'foo', '-o', 'jsonpath={.metadata.generation}']),
        '1',
      );
    });

    test('explain renders the CRD schema', async () => {
      const out = await ok(['explain', 'widgets.spec']);
      assert.match(out, /^GROUP:\s+example\.com\nKIND:\s+Widget\nVERSION:\s+v1\n/);
      assert.match(out, /The desired widget\./);
      assert.match(out, /^ {2}size\t<integer>\n {4}How big the widget is\./m);
      const top = await ok(['explain', 'widgets']);
      assert.match(top, /A Widget is a test kind\./);
      const crd = await ok(['explain', 'crd.spec.versions']);
      assert.match(
        crd,
        /^GROUP:\s+apiextensions\.k8s\.io\nKIND:\s+CustomResourceDefinition\nVERSION:\s+v1\n/,
      );
      assert.match(crd, /^ {2}served\t<boolean> -required-$/m);
      assert.match(crd, /^ {2}schema\t<CustomResourceValidation>$/m);
      assert.match(top, /^ {2}metadata\t<ObjectMeta>$/m);
    });

    test('server-side apply creates and updates with managed fields', async () => {
      assert.match(
        await ok(['apply', '--server-side', '-f', '-'], widget('w2', 'blue')),
        /widget\.example\.com\/w2 serverside-applied/,
      );
      await ok(['apply', '--server-side', '-f', '-'], widget('w2', 'green'));
      const w = JSON.parse(
        await ok(['get', 'widget', 'w2', '-n', 'foo', '-o', 'json', '--show-managed-fields']),
      );
      assert.equal(w.spec.color, 'green');
      assert.equal(w.metadata.generation, 2);
      const m = w.metadata.managedFields.find((f: { manager: string }) => f.manager === 'kubectl');
      assert.equal(m.operation, 'Apply');
      assert.ok(m.fieldsV1['f:spec']['f:color']);
    });

    test('server-side apply merges a list-type map by key between managers', async () => {
      const port = (name: string, p: number) =>
        `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w4\n  namespace: foo\nspec:\n  color: red\n  ports:\n  - name: ${name}\n    port: ${p}\n`;
      await ok(['apply', '--server-side', '--field-manager=a', '-f', '-'], port('http', 80));
      await ok(
        ['apply', '--server-side', '--field-manager=b', '--force-conflicts', '-f', '-'],
        port('https', 443),
      );
      const w = JSON.parse(await ok(['get', 'widget', 'w4', '-n', 'foo', '-o', 'json']));
      assert.deepEqual(w.spec.ports, [
        { name: 'http', port: 80 },
        { name: 'https', port: 443 },
      ]);
    });

    test('an object breaking the CEL rule is refused with its message', async () => {
      const r = await k(['apply', '-f', '-'], widget('bad', 'black'));
      assert.notEqual(r.code, 0);
      assert.match(
        r.stderr,
        /The Widget "bad" is invalid: spec: Invalid value: "object": black is not a color/,
      );
      assert.match((await k(['get', 'widget', 'bad', '-n', 'foo'])).stderr, /NotFound/);
    });

    test('unknown fields: Strict refuses them, Warn prunes them', async () => {
      const r = await k(['create', '--validate=strict', '-f', '-'], widget('w3', 'red', '  bogus: 1\n'));
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /unknown field "spec\.bogus"/);
      const w = await k(['create', '--validate=warn', '-f', '-'], widget('w3', 'red', '  bogus: 1\n'));
      assert.equal(w.code, 0, w.stderr);
      assert.match(w.stderr, /unknown field "spec\.bogus"/);
      assert.equal(
        await ok(['get', 'widget', 'w3', '-n', 'foo', '-o', 'jsonpath={.spec}']),
        '{"color":"red","size":3}',
      );
    });

    test('field selector on a selectable field', async () => {
      const out = await ok([
        'get',
        'widgets',
        '-n',
        'foo',
        '--field-selector',
        'spec.color=red',
        '-o',
        'name',
      ]);
      assert.deepEqual(out.trim().split('\n').sort(), [
        'widget.example.com/w1',
        'widget.example.com/w3',
        'widget.example.com/w4',
      ]);
      const bad = await k(['get', 'widgets', '-n', 'foo', '--field-selector', 'spec.size=3']);
      assert.match(bad.stderr, /field label not supported: spec\.size/);
    });

    test('get all includes a kind in category all', async () => {
      const out = await ok(['get', 'all', '-n', 'foo']);
      assert.match(out, /^widget\.example\.com\/w1\s+3\s+red/m);
    });

    test('status subresource: main writes ignore status, status writes ignore spec; generation on spec only', async () => {
      await ok([
        'patch',
        'widget',
        'w1',
        '-n',
        'foo',
        '--subresource=status',
        '--type=merge',
        '-p',
        '{"status":{"replicas":2},"spec":{"size":9}}',
      ]);
      let w = JSON.parse(await ok(['get', 'widget', 'w1', '-n', 'foo', '-o', 'json']));
      assert.deepEqual([w.status.replicas, w.spec.size, w.metadata.generation], [2, 3, 1]);
      await ok([
        'patch',
        'widget',
        'w1',
        '-n',
        'foo',
        '--type=merge',
        '-p',
        '{"status":{"replicas":7},"spec":{"size":4}}',
      ]);
      w = JSON.parse(await ok(['get', 'widget', 'w1', '-n', 'foo', '-o', 'json']));
      assert.deepEqual([w.status.replicas, w.spec.size, w.metadata.generation], [2, 4, 2]);
    });

    test('scale subresource and strategic merge patch refused', async () => {
      assert.match(await ok(['scale', 'widget', 'w1', '-n', 'foo', '--replicas=5']), /scaled/);
      assert.equal(await ok(['get', 'widget', 'w1', '-n', 'foo', '-o', 'jsonpath={.spec.replicas}']), '5');
      const scale = JSON.parse(
        await ok(['get', '--raw', '/apis/example.com/v1/namespaces/foo/widgets/w1/scale']),
      );
      assert.deepEqual(
        [scale.kind, scale.apiVersion, scale.spec.replicas, scale.status.replicas],
        ['Scale', 'autoscaling/v1', 5, 2],
      );
      const r = await k([
        'patch',
        'widget',
        'w1',
        '-n',
        'foo',
        '--type=strategic',
        '-p',
        '{"spec":{"size":1}}',
      ]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /UnsupportedMediaType|unknown format/);
    });

    test('a cluster-scoped kind: served at the cluster path, 404 under a namespace', async () => {
      await ok(
        ['apply', '-f', '-'],
        'apiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: g1\nspec:\n  level: 2\n',
      );
      assert.match(await ok(['get', 'gizmos']), /^g1\s+\d+s$/m);
      const r = await k(['get', '--raw', '/apis/example.com/v1/namespaces/foo/gizmos']);
      assert.match(r.stderr, /NotFound/);
    });

    test('RBAC: a ClusterRole aggregated into view lets a viewer list, not create', async () => {
      await ok(['create', 'clusterrolebinding', 'jane-view', '--clusterrole=view', '--user=jane']);
      assert.equal((await k(['get', 'widgets', '-n', 'foo', '--as=jane'])).code, 1);
      await ok(
        ['apply', '-f', '-'],
        `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: widgets-view
  labels:
    rbac.authorization.k8s.io/aggregate-to-view: "true"
rules:
- apiGroups: [example.com]
  resources: [widgets]
  verbs: [get, list, watch]
`,
      );
      let r = await k(['get', 'widgets', '-n', 'foo', '--as=jane', '-o', 'name']);
      for (let i = 0; i < 50 && r.code !== 0; i++) {
        await new Promise((res) => setTimeout(res, 100));
        r = await k(['get', 'widgets', '-n', 'foo', '--as=jane', '-o', 'name']);
      }
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /widget\.example\.com\/w1/);
      const c = await k(['create', '-f', '-', '--as=jane'], widget('w9', 'red'));
      assert.match(
        c.stderr,
        /widgets\.example\.com is forbidden: User "jane" cannot create resource "widgets" in API group "example\.com" in the namespace "foo"/,
      );
      assert.equal(
        await ok(['auth', 'can-i', 'list', 'widgets.example.com', '-n', 'foo', '--as=jane']),
        'yes\n',
      );
      // kubeauth explain resolves a bare custom resource name through the cluster's CRDs.
      const e = await run(process.execPath, [
        mainJs,
        'explain',
        '--kubeconfig',
        srv.kubeconfig,
        '--as',
        'jane',
        '-n',
        'foo',
        'list',
        'wd',
      ]);
      assert.equal(e.code, 0, e.stderr + e.stdout);
      assert.match(
        e.stdout,
        /can list resource "widgets" in API group "example\.com" in the namespace "foo"\nallowed by ClusterRoleBinding "jane-view" of ClusterRole "view"/,
      );
    });

    test('client-side apply again (a merge patch), server dry run, deletecollection', async () => {
      assert.match(
        await ok(['apply', '-f', '-'], widget('w1', 'yellow')),
        /widget\.example\.com\/w1 configured/,
      );
      assert.equal(await ok(['get', 'widget', 'w1', '-n', 'foo', '-o', 'jsonpath={.spec.color}']), 'yellow');
      assert.match(
        await ok(['create', '--dry-run=server', '-f', '-'], widget('dry', 'red')),
        /created \(server dry run\)/,
      );
      assert.match((await k(['get', 'widget', 'dry', '-n', 'foo'])).stderr, /NotFound/);
      await ok(['create', 'namespace', 'bar']);
      await ok(['apply', '-f', '-'], widget('b1', 'red').replace('namespace: foo', 'namespace: bar'));
      await ok(['apply', '-f', '-'], widget('b2', 'red').replace('namespace: foo', 'namespace: bar'));
      assert.match(
        await ok(['delete', 'widgets', '--all', '-n', 'bar']),
        /widget\.example\.com "b1" deleted/,
      );
      assert.match((await k(['get', 'widgets', '-n', 'bar'])).stderr, /No resources found/);
    });

    test('bodies: protobuf is refused for custom resources (415); JSON CRDs are what kubectl sends', async () => {
      const c = new Client(srv.port, credentialsFromKubeconfig(srv.kubeconfig));
      try {
        const pb = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), Buffer.from([0x0a, 0x00])]);
        const r = await c.request('POST', '/apis/example.com/v1/namespaces/foo/widgets', pb, {
          'content-type': 'application/vnd.kubernetes.protobuf',
        });
        assert.equal(r.status, 415);
        assert.equal(r.json().reason, 'UnsupportedMediaType');
        // Malformed custom resources and CRDs are 4xx Status answers, never a 500.
        const w = (body: Record<string, unknown>) => ({
          apiVersion: 'example.com/v1',
          kind: 'Widget',
          ...body,
        });
        const crdBody = (spec: unknown) => ({
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'xs.example.com' },
          spec,
        });
        const bodies: [string, unknown][] = [
          ['widgets', w({ metadata: { name: 'm1' }, spec: 'x' })],
          ['widgets', w({ metadata: { name: 'm2' }, spec: { size: 'big', ports: [{ port: 1 }] } })],
          ['widgets', w({ metadata: [] })],
          ['widgets', w({ kind: 'Gadget', metadata: { name: 'm3' } })],
          ['crd', crdBody({ names: { plural: 5 } })],
          [
            'crd',
            crdBody({
              group: 'example.com',
              scope: 'Cluster',
              names: { plural: 'xs', kind: 'X' },
              versions: [
                {
                  name: 'v1',
                  served: true,
                  storage: true,
                  schema: { openAPIV3Schema: { type: 7, properties: [] } },
                },
              ],
            }),
          ],
        ];
        for (const [target, body] of bodies) {
          const path =
            target === 'crd'
              ? '/apis/apiextensions.k8s.io/v1/customresourcedefinitions'
              : '/apis/example.com/v1/namespaces/foo/widgets';
          const b = await c.request('POST', path, JSON.stringify(body));
          assert.ok(b.status >= 400 && b.status < 500, `${b.status} ${b.body.toString()}`);
          assert.equal(b.json().kind, 'Status');
        }
      } finally {
        c.close();
      }
      const v = await k(
        ['create', '-v=8', '-f', '-'],
        WIDGETS_CRD.replace(/widgets/g, 'sprockets')
          .replace(/Widget/g, 'Sprocket')
          .replace('shortNames: [wd]', 'shortNames: [sp]'),
      );
      assert.equal(v.code, 0, v.stderr);
      const post = v.stderr.split('\n').filter((l) => /customresourcedefinitions/.test(l) && /POST/.test(l));
      assert.ok(post.length > 0, v.stderr);
      assert.doesNotMatch(v.stderr, /Content-Type: application\/vnd\.kubernetes\.protobuf/);
      assert.match(v.stderr, /Content-Type: application\/json/);
      await ok(['delete', 'crd', 'sprockets.example.com']);
    });
  });
