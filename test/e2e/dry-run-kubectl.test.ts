/**
 * `--dry-run=server` with the real kubectl (1.33 and 1.27): every command answers as the real
 * write would ("... (server dry run)") and nothing changes. kubectl sends the dry run as the
 * `dryRun=All` query on create/update/patch and inside the DeleteOptions body on delete.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from './harness.js';

const deployment = JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  a: ${value}\n`;

interface Row {
  name: string;
  args: string[];
  input?: string;
  out: RegExp;
}

const rows: Row[] = [
  {
    name: 'create',
    args: ['create', 'configmap', 'fresh', '--from-literal=a=b'],
    out: /configmap\/fresh created \(server dry run\)/,
  },
  {
    name: 'apply (new)',
    args: ['apply', '-f', '-'],
    input: configMap('fresh', 'x'),
    out: /configmap\/fresh created \(server dry run\)/,
  },
  {
    name: 'apply (existing)',
    args: ['apply', '-f', '-'],
    input: configMap('kept', 'changed'),
    out: /configmap\/kept configured \(server dry run\)/,
  },
  {
    name: 'apply --server-side',
    args: ['apply', '--server-side', '-f', '-'],
    input: configMap('kept', 'ssa'),
    out: /configmap\/kept serverside-applied \(server dry run\)/,
  },
  {
    name: 'replace',
    args: ['replace', '-f', '-'],
    input: configMap('kept', 'replaced'),
    out: /configmap\/kept replaced \(server dry run\)/,
  },
  {
    name: 'label',
    args: ['label', 'configmap', 'kept', 'x=y'],
    out: /configmap\/kept labeled \(server dry run\)/,
  },
  {
    name: 'annotate',
    args: ['annotate', 'configmap', 'kept', 'x=y'],
    out: /configmap\/kept annotated? \(server dry run\)/, // kubectl 1.27 prints "annotate"
  },
  {
    name: 'delete',
    args: ['delete', 'configmap', 'kept'],
    out: /configmap "kept" deleted \(server dry run\)/,
  },
  {
    name: 'scale',
    args: ['scale', 'deployment', 'web', '--replicas=3'],
    out: /deployment.apps\/web scaled \(server dry run\)/,
  },
  {
    name: 'set image',
    args: ['set', 'image', 'deployment/web', 'c=nginx:2'],
    out: /deployment.apps\/web image updated \(server dry run\)/,
  },
  {
    name: 'delete namespace',
    args: ['delete', 'namespace', 'spare'],
    out: /namespace "spare" deleted \(server dry run\)/,
  },
];

for (const version of ['1.33', '1.27']) {
  describe(`kubectl.${version} --dry-run=server changes nothing`, () => {
    let srv: TestServer;
    const k = (args: string[], input?: string) => srv.kubectl(version, args, { input });
    const state = async () => {
      const r = await k(['get', 'configmaps,deployments,namespaces', '-A', '-o', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const items = JSON.parse(r.stdout).items as { metadata: Record<string, unknown> }[];
      return items
        .filter((o) => !String(o.metadata.name).startsWith('kube-'))
        .map(
          (o) =>
            `${String(o.metadata.namespace ?? '')}/${String(o.metadata.name)}@${String(o.metadata.resourceVersion)}`,
        )
        .sort();
    };
    before(async () => {
      srv = await startServer();
      for (const [args, input] of [
        [['apply', '-f', '-'], configMap('kept', 'orig')],
        [['create', '-f', '-'], deployment],
        [['create', 'namespace', 'spare']],
      ] as [string[], string?][]) {
        const r = await k(args, input);
        assert.equal(r.code, 0, r.stderr);
      }
      await new Promise((r) => setTimeout(r, 300)); // the namespace controller's default ServiceAccount
    });
    after(async () => {
      await srv?.stop();
    });

    for (const row of rows) {
      test(row.name, async () => {
        const before = await state();
        const r = await k([...row.args, '--dry-run=server'], row.input);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, row.out);
        assert.deepEqual(await state(), before);
      });
    }

    test('the objects are as created', async () => {
      const cm = await k(['get', 'configmap', 'kept', '-o', 'jsonpath={.data.a} {.metadata.labels}']);
      assert.equal(cm.stdout.trim(), 'orig');
      const d = await k([
        'get',
        'deployment',
        'web',
        '-o',
        'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}',
      ]);
      assert.equal(d.stdout, '1 nginx');
      const ns = await k(['get', 'namespace', 'spare', '-o', 'jsonpath={.status.phase}']);
      assert.equal(ns.stdout, 'Active');
    });
  });
}
