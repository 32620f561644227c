/**
 * `kubectl explain` against kubeauth's OpenAPI v3 documents (kubectl 1.29+ renders explain from
 * /openapi/v3), and `kubectl apply` still using server-side field validation with them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from './harness.js';

describe('kubectl.1.33 explain', () => {
  let srv: TestServer;
  const k = (args: string[], input?: string) => srv.kubectl('1.33', args, { input });
  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv?.stop();
  });

  test('explain pods prints KIND, VERSION, the description and the fields', async () => {
    const r = await k(['explain', 'pods']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /^KIND:\s+Pod\nVERSION:\s+v1\n\nDESCRIPTION:\n\s+Pod is a collection of containers/,
    );
    assert.match(r.stdout, /^FIELDS:$/m);
    assert.match(r.stdout, /^ {2}apiVersion\t<string>\n {4}APIVersion defines the versioned schema/m);
    assert.match(r.stdout, /^ {2}metadata\t<ObjectMeta>$/m);
    assert.match(r.stdout, /^ {2}spec\t<PodSpec>$/m);
    assert.match(r.stdout, /^ {2}status\t<PodStatus>$/m);
  });

  test('explain pods.spec.containers lists the Container fields', async () => {
    const r = await k(['explain', 'pods.spec.containers']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^FIELD: containers <\[\]Container>$/m);
    assert.match(r.stdout, /^ {2}image\t<string>$/m);
    assert.match(r.stdout, /^ {2}env\t<\[\]EnvVar>$/m);
    assert.match(r.stdout, /^ {2}resources\t<ResourceRequirements>$/m);
  });

  test('explain deployment.spec.template.spec.containers.image', async () => {
    const r = await k(['explain', 'deployment.spec.template.spec.containers.image']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n/);
    assert.match(r.stdout, /^FIELD: image <string>$/m);
    assert.match(r.stdout, /Container image name\./);
  });

  test('explain rolebindings.subjects', async () => {
    const r = await k(['explain', 'rolebindings.subjects']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^GROUP:\s+rbac\.authorization\.k8s\.io\nKIND:\s+RoleBinding\nVERSION:\s+v1\n/);
    assert.match(r.stdout, /^FIELD: subjects <\[\]Subject>$/m);
    for (const f of ['apiGroup', 'kind', 'name', 'namespace']) {
      assert.match(r.stdout, new RegExp(`^ {2}${f}\\t<string>$`, 'm'));
    }
  });

  test('maps, IntOrString, and a kind without a protobuf schema', async () => {
    let r = await k(['explain', 'pods.spec.containers.resources']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}limits\t<map\[string\]Quantity>$/m);
    r = await k(['explain', 'deploy.spec.strategy.rollingUpdate']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ {2}maxSurge\t<IntOrString>$/m);
    r = await k(['explain', 'pods.metadata.labels']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^FIELD: labels <map\[string\]string>$/m);
    r = await k(['explain', 'replicasets']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^KIND:\s+ReplicaSet$/m);
    assert.match(r.stdout, /^ {2}spec\t<Object>$/m);
  });

  test('an unknown field is reported', async () => {
    const r = await k(['explain', 'pods.spec.nosuch']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /field "nosuch" does not exist/);
  });

  test('apply -f of a Role still works (create, configure, unknown field rejected)', async () => {
    const role = [
      'apiVersion: rbac.authorization.k8s.io/v1',
      'kind: Role',
      'metadata: {name: explain-r, namespace: default}',
      'rules:',
      '- {apiGroups: [""], resources: [pods], verbs: [get]}',
      '',
    ].join('\n');
    let r = await k(['apply', '-f', '-'], role);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /role\.rbac\.authorization\.k8s\.io\/explain-r created/);
    r = await k(['apply', '-f', '-'], role.replace('[get]', '[get, list]'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /configured/);
    assert.equal(r.stderr, '');
  });

  test('re-apply removes a container (list merge metadata from the document)', async () => {
    const deploy = (names: string[]) =>
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata: {name: explain-d, namespace: default}',
        'spec:',
        '  selector: {matchLabels: {a: b}}',
        '  template:',
        '    metadata: {labels: {a: b}}',
        '    spec:',
        '      containers:',
        ...names.map((n) => `      - {name: ${n}, image: img-${n}}`),
        '',
      ].join('\n');
    for (const names of [['a', 'b'], ['a']]) {
      const r = await k(['apply', '-f', '-'], deploy(names));
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
    }
    const g = await k([
      'get',
      'deploy',
      'explain-d',
      '-o',
      'jsonpath={.spec.template.spec.containers[*].name}',
    ]);
    assert.equal(g.stdout, 'a');
  });
});
