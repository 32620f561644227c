/**
 * The create/update strategy of every served kind, through the real server's REST layer:
 *
 * - Initial status and generation on create, as each kind's PrepareForCreate in upstream's
 *   pkg/registry/<group>/<kind>/strategy.go sets them (status reset to its zero value, as Go
 *   writes it: Service `{loadBalancer: {}}`, ReplicaSet `{replicas: 0}`...; metadata.generation 1
 *   only for the kinds that track it).
 * - Unconditional updates: a PUT whose metadata.resourceVersion is absent, "" or "0" overwrites
 *   the object when the kind's AllowUnconditionalUpdate() is true (all served kinds but
 *   PodDisruptionBudgets and Leases, pkg/registry/policy/poddisruptionbudget/strategy.go and
 *   pkg/registry/coordination/lease/strategy.go), as
 *   staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go Update does.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type TestServer } from './harness.js';
import { Client, credentialsFromKubeconfig } from './client.js';

const NS = 'ws';
const podSpec = (restartPolicy?: string) => ({
  restartPolicy,
  containers: [{ name: 'c', image: 'busybox' }],
});
const template = (app: string, restartPolicy?: string) => ({
  metadata: { labels: { app } },
  spec: podSpec(restartPolicy),
});
const selector = (app: string) => ({ matchLabels: { app } });

interface Kind {
  /** Collection path (namespaced kinds under NS). */
  path: string;
  body: Record<string, unknown>;
  /** Upstream's status right after create (undefined: no status field). */
  status?: (created: any) => unknown;
  /** Upstream sets metadata.generation = 1 on create. */
  generation?: boolean;
  /** Upstream's spec right after create, where Go writes structs the client did not send. */
  spec?: unknown;
  /** Further checks of the created object. */
  check?: (created: any) => void;
  /** AllowUnconditionalUpdate() is false. */
  conditionalOnly?: boolean;
}

const ns = (r: string, group = '') =>
  group ? `/apis/${group}/namespaces/${NS}/${r}` : `/api/v1/namespaces/${NS}/${r}`;
const cluster = (r: string, group = '') => (group ? `/apis/${group}/${r}` : `/api/v1/${r}`);

let csrRequest = '';
const kinds: Record<string, Kind> = {
  configmaps: { path: ns('configmaps'), body: { data: { a: 'b' } } },
  endpoints: { path: ns('endpoints'), body: {} },
  events: {
    path: ns('events'),
    body: { involvedObject: { kind: 'Pod', name: 'p', namespace: NS }, reason: 'R', message: 'm' },
    check: (c) => assert.deepEqual(c.source, {}),
  },
  limitranges: { path: ns('limitranges'), body: { spec: { limits: [] } } },
  namespaces: {
    path: cluster('namespaces'),
    body: { status: { phase: 'Terminating' } },
    status: () => ({ phase: 'Active' }),
  },
  nodes: {
    path: cluster('nodes'),
    body: { status: { capacity: { cpu: '2' } } },
    // Nodes keep the status they are created with; Go writes the non-pointer structs.
    status: () => ({
      capacity: { cpu: '2' },
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: {
        machineID: '',
        systemUUID: '',
        bootID: '',
        kernelVersion: '',
        osImage: '',
        containerRuntimeVersion: '',
        kubeletVersion: '',
        kubeProxyVersion: '',
        operatingSystem: '',
        architecture: '',
      },
    }),
  },
  persistentvolumeclaims: {
    path: ns('persistentvolumeclaims'),
    body: {
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      status: { phase: 'Bound' },
    },
    status: () => ({ phase: 'Pending' }),
  },
  persistentvolumes: {
    path: cluster('persistentvolumes'),
    body: {
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/tmp/x' } },
      status: { phase: 'Bound' },
    },
    status: (c) => ({ phase: 'Pending', lastPhaseTransitionTime: c.metadata.creationTimestamp }),
  },
  pods: {
    path: ns('pods'),
    body: { spec: podSpec(), status: { phase: 'Running' } },
    status: () => ({ phase: 'Pending', qosClass: 'BestEffort' }),
    generation: true,
  },
  'pods-gated': {
    path: ns('pods'),
    body: { spec: { ...podSpec(), schedulingGates: [{ name: 'example.com/gate' }] } },
    status: () => ({
      phase: 'Pending',
      qosClass: 'BestEffort',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          lastProbeTime: null,
          lastTransitionTime: null,
          reason: 'SchedulingGated',
          message: 'Scheduling is blocked due to non-empty scheduling gates',
        },
      ],
    }),
    generation: true,
  },
  podtemplates: { path: ns('podtemplates'), body: { template: template('pt') }, generation: true },
  replicationcontrollers: {
    path: ns('replicationcontrollers'),
    body: { spec: { selector: { app: 'rc' }, template: template('rc') }, status: { replicas: 3 } },
    status: () => ({ replicas: 0 }),
    generation: true,
  },
  resourcequotas: {
    path: ns('resourcequotas'),
    body: { spec: { hard: { pods: '5' } }, status: { used: { pods: '1' } } },
    status: () => ({}),
  },
  secrets: { path: ns('secrets'), body: { data: { a: 'Yg==' } } },
  serviceaccounts: { path: ns('serviceaccounts'), body: {} },
  services: {
    path: ns('services'),
    body: { spec: { ports: [{ port: 80 }] }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } },
    status: () => ({ loadBalancer: {} }),
  },
  controllerrevisions: { path: ns('controllerrevisions', 'apps/v1'), body: { revision: 1 } },
  daemonsets: {
    path: ns('daemonsets', 'apps/v1'),
    body: { spec: { selector: selector('ds'), template: template('ds') } },
    status: () => ({
      currentNumberScheduled: 0,
      numberMisscheduled: 0,
      desiredNumberScheduled: 0,
      numberReady: 0,
    }),
    generation: true,
  },
  deployments: {
    path: ns('deployments', 'apps/v1'),
    body: { spec: { selector: selector('d'), template: template('d') }, status: { replicas: 4 } },
    status: () => ({}),
    check: (c) =>
      assert.deepEqual(c.spec.template.metadata, { creationTimestamp: null, labels: { app: 'd' } }),
    generation: true,
  },
  replicasets: {
    path: ns('replicasets', 'apps/v1'),
    body: { spec: { selector: selector('rs'), template: template('rs') } },
    status: () => ({ replicas: 0 }),
    generation: true,
  },
  statefulsets: {
    path: ns('statefulsets', 'apps/v1'),
    body: { spec: { serviceName: 's', selector: selector('sts'), template: template('sts') } },
    status: () => ({ replicas: 0, availableReplicas: 0 }),
    generation: true,
  },
  cronjobs: {
    path: ns('cronjobs', 'batch/v1'),
    body: {
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: template('cj', 'OnFailure') } } },
    },
    status: () => ({}),
    check: (c) => assert.deepEqual(c.spec.jobTemplate.metadata, { creationTimestamp: null }),
    generation: true,
  },
  jobs: {
    path: ns('jobs', 'batch/v1'),
    body: { spec: { template: { spec: podSpec('Never') } }, status: { active: 2 } },
    status: () => ({}),
    generation: true,
  },
  certificatesigningrequests: {
    path: cluster('certificatesigningrequests', 'certificates.k8s.io/v1'),
    body: {
      spec: { request: '$csr', signerName: 'example.com/x', usages: ['client auth'] },
      status: { conditions: [{ type: 'Approved', status: 'True' }] },
    },
    status: () => ({}),
  },
  leases: { path: ns('leases', 'coordination.k8s.io/v1'), body: {}, spec: {}, conditionalOnly: true },
  'events.k8s.io': {
    path: ns('events', 'events.k8s.io/v1'),
    body: {
      eventTime: '2026-01-01T00:00:00.000000Z',
      reportingController: 'example.com/c',
      reportingInstance: 'i',
      action: 'A',
      reason: 'R',
      type: 'Normal',
      regarding: { kind: 'Pod', name: 'p', namespace: NS },
    },
  },
  ingressclasses: {
    path: cluster('ingressclasses', 'networking.k8s.io/v1'),
    body: { spec: { controller: 'example.com/ic' } },
    generation: true,
  },
  ingresses: {
    path: ns('ingresses', 'networking.k8s.io/v1'),
    body: { spec: { defaultBackend: { service: { name: 's', port: { number: 80 } } } } },
    status: () => ({ loadBalancer: {} }),
    generation: true,
  },
  networkpolicies: {
    path: ns('networkpolicies', 'networking.k8s.io/v1'),
    body: {},
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
    generation: true,
  },
  poddisruptionbudgets: {
    path: ns('poddisruptionbudgets', 'policy/v1'),
    body: { spec: { minAvailable: 1, selector: selector('pdb') }, status: { disruptionsAllowed: 3 } },
    status: () => ({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }),
    generation: true,
    conditionalOnly: true,
  },
  clusterroles: { path: cluster('clusterroles', 'rbac.authorization.k8s.io/v1'), body: { rules: [] } },
  roles: { path: ns('roles', 'rbac.authorization.k8s.io/v1'), body: { rules: [] } },
  clusterrolebindings: {
    path: cluster('clusterrolebindings', 'rbac.authorization.k8s.io/v1'),
    body: {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [],
    },
  },
  rolebindings: {
    path: ns('rolebindings', 'rbac.authorization.k8s.io/v1'),
    body: {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [],
    },
  },
  priorityclasses: { path: cluster('priorityclasses', 'scheduling.k8s.io/v1'), body: { value: 10 } },
  storageclasses: {
    path: cluster('storageclasses', 'storage.k8s.io/v1'),
    body: { provisioner: 'example.com/p' },
  },
};

function kindOf(path: string): { apiVersion: string } {
  const m = /^\/apis\/([^/]+\/[^/]+)\//.exec(path);
  return { apiVersion: m ? m[1] : 'v1' };
}

describe('create and update strategy of every kind', () => {
  let srv: TestServer;
  let c: Client;
  before(async () => {
    srv = await startServer();
    c = new Client(srv.port, credentialsFromKubeconfig(srv.kubeconfig));
    const r = await c.request('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: NS } }));
    assert.equal(r.status, 201, r.body.toString());
    // This signer name is not one the built-in signer handles: the CSR stays as created.
    const dir = mkdtempSync(path.join(tmpdir(), 'write-strategy-'));
    execFileSync('openssl', [
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      path.join(dir, 'k.pem'),
      '-out',
      path.join(dir, 'r.pem'),
      '-subj',
      '/CN=someone',
    ]);
    csrRequest = readFileSync(path.join(dir, 'r.pem')).toString('base64');
  });
  after(async () => {
    c?.close();
    await srv?.stop();
  });

  test('namespace update keeps status and spec.finalizers (namespace/strategy.go PrepareForUpdate)', async () => {
    const r = await c.request('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'keep' } }));
    assert.equal(r.status, 201, r.body.toString());
    const o = r.json();
    const u = await c.request(
      'PUT',
      '/api/v1/namespaces/keep',
      JSON.stringify({ ...o, spec: { finalizers: [] }, status: { phase: 'Terminating' } }),
    );
    assert.equal(u.status, 200, u.body.toString());
    assert.deepEqual(u.json().spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(u.json().status, { phase: 'Active' });
    const f = await c.request(
      'PUT',
      '/api/v1/namespaces/keep/finalize',
      JSON.stringify({ ...u.json(), spec: { finalizers: [] } }),
    );
    assert.equal(f.status, 200, f.body.toString());
    assert.deepEqual(f.json().spec.finalizers ?? [], []);
  });

  for (const [name, k] of Object.entries(kinds)) {
    test(`${name}: status and generation after create; unconditional update`, async () => {
      const body = JSON.parse(
        JSON.stringify({
          ...kindOf(k.path),
          metadata: { name: `x-${name.replace(/\./g, '-')}` },
          ...k.body,
        }).replace('"$csr"', JSON.stringify(csrRequest)),
      );
      const r = await c.request('POST', k.path, JSON.stringify(body));
      assert.equal(r.status, 201, r.body.toString());
      const created = r.json();
      assert.deepEqual(created.status, k.status?.(created), 'status after create');
      assert.equal(created.metadata.generation, k.generation ? 1 : undefined, 'metadata.generation');
      if (k.spec !== undefined) assert.deepEqual(created.spec, k.spec, 'spec after create');
      k.check?.(created);
      const stored = (await c.request('GET', `${k.path}/${created.metadata.name}`)).json();
      assert.deepEqual(stored.status, created.status, 'stored status');

      const url = `${k.path}/${created.metadata.name}`;
      const labelled = (rv: string | undefined, v: string) => {
        const o = structuredClone(stored);
        o.metadata.labels = { ...o.metadata.labels, v };
        if (rv === undefined) delete o.metadata.resourceVersion;
        else o.metadata.resourceVersion = rv;
        return JSON.stringify(o);
      };
      for (const [i, rv] of [undefined, '', '0'].entries()) {
        const u = await c.request('PUT', url, labelled(rv, String(i)));
        if (k.conditionalOnly) {
          assert.equal(u.status, 422, u.body.toString());
          const group = /^\/apis\/([^/]+)\//.exec(k.path)?.[1];
          assert.equal(
            u.json().message,
            `${name}${group ? '.' + group : ''} "${created.metadata.name}" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update`,
          );
        } else {
          assert.equal(u.status, 200, `rv ${JSON.stringify(rv)}: ${u.body.toString()}`);
          assert.equal(u.json().metadata.labels.v, String(i));
          assert.notEqual(u.json().metadata.resourceVersion, stored.metadata.resourceVersion);
        }
      }
      const stale = await c.request('PUT', url, labelled(stored.metadata.resourceVersion, 'stale'));
      if (!k.conditionalOnly) assert.equal(stale.status, 409, stale.body.toString());
      else assert.equal(stale.status, 200, stale.body.toString());
    });
  }
});
