/**
 * @module registry/defaults/pod
 *
 * Pod and pod-template defaulting, after pkg/apis/core/v1/defaults.go (SetDefaults_Pod,
 * SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_ContainerPort, SetDefaults_Probe,
 * SetDefaults_HTTPGetAction, SetDefaults_{Secret,ConfigMap,Projected,DownwardAPI}VolumeSource,
 * SetDefaults_Volume, SetDefaults_ObjectFieldSelector), plus the admission-time fields a created
 * Pod shows upstream: serviceAccountName "default" (ServiceAccount admission; the token volume is
 * not added here), priority 0 and preemptionPolicy (Priority admission), and the initial status
 * of pod/strategy.go PrepareForCreate (phase Pending, qosClass). All functions mutate the
 * caller-owned object they are given.
 */
import type { KubeObject } from '../../api/types.js';
import { arr, child, obj, objs, setDefault, str, type Obj } from '../util.js';

/** The tag of an image reference, as parsers.ParseImageName: "latest" when neither tag nor digest. */
export function imageTag(image: string): string {
  if (image.includes('@')) {
    const ref = image.slice(0, image.indexOf('@'));
    const slash = ref.lastIndexOf('/');
    const colon = ref.lastIndexOf(':');
    return colon > slash ? ref.slice(colon + 1) : '';
  }
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : 'latest';
}

function defaultProbe(p: unknown): void {
  if (p === undefined || p === null || typeof p !== 'object') return;
  const probe = p as Obj;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  if (probe.httpGet && typeof probe.httpGet === 'object') {
    const h = probe.httpGet as Obj;
    setDefault(h, 'path', '/');
    setDefault(h, 'scheme', 'HTTP');
  }
}

/** SetDefaults_Container + ContainerPort + Probe + env fieldRef (all container kinds). */
function defaultContainer(c: Obj): void {
  if (!str(c.imagePullPolicy))
    c.imagePullPolicy = imageTag(str(c.image)) === 'latest' ? 'Always' : 'IfNotPresent';
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  for (const p of objs(c.ports)) setDefault(p, 'protocol', 'TCP');
  for (const e of objs(c.env)) {
    const fieldRef = obj(e.valueFrom).fieldRef;
    if (fieldRef && typeof fieldRef === 'object') setDefault(fieldRef as Obj, 'apiVersion', 'v1');
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

function defaultVolume(v: Obj): void {
  if (!VOLUME_SOURCES.some((s) => v[s] !== undefined && v[s] !== null)) v.emptyDir = {};
  for (const s of ['secret', 'configMap', 'projected', 'downwardAPI']) {
    if (v[s] && typeof v[s] === 'object') setDefault(v[s] as Obj, 'defaultMode', 420);
  }
  if (v.hostPath && typeof v.hostPath === 'object') setDefault(v.hostPath as Obj, 'type', '');
}

/** SetDefaults_PodSpec and the container/volume defaulters, for pods and templates alike. */
export function defaultPodSpec(spec: Obj): void {
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of objs(spec[key])) defaultContainer(c);
  }
  for (const v of objs(spec.volumes)) defaultVolume(v);
}

/** A pod template's spec (`.spec.template.spec` of workloads). */
export function defaultPodTemplate(template: Obj): void {
  templateMetadata(template);
  defaultPodSpec(child(template, 'spec'));
}

/**
 * A template's ObjectMeta as Go writes it: the struct is always there, and its zero
 * creationTimestamp (metav1.Time, which omitempty cannot drop) is written as null.
 */
export function templateMetadata(template: Obj): void {
  const meta = child(template, 'metadata');
  if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
}

const RESOURCES = ['cpu', 'memory'];

/** Requests default to limits (SetDefaults_Pod); returns the container's effective resources. */
function defaultRequests(c: Obj): { requests: Obj; limits: Obj } {
  const resources = obj(c.resources);
  const limits = obj(resources.limits);
  if (Object.keys(limits).length) {
    const res = child(c, 'resources');
    const requests = child(res, 'requests');
    for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
  }
  return { requests: obj(obj(c.resources).requests), limits };
}

/** The QoS class (pkg/apis/core/helper/qos): BestEffort, Guaranteed or Burstable. */
export function qosClass(spec: Obj): string {
  const containers = [...objs(spec.initContainers), ...objs(spec.containers)];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = obj(obj(c.resources).requests);
    const limits = obj(obj(c.resources).limits);
    const nonZero = (m: Obj, k: string) => m[k] !== undefined && !/^0+(\.0*)?[a-zA-Z]*$/.test(String(m[k]));
    for (const k of RESOURCES) if (nonZero(requests, k) || nonZero(limits, k)) any = true;
    for (const k of RESOURCES) {
      if (!nonZero(limits, k) || String(requests[k] ?? limits[k]) !== String(limits[k])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Everything a Pod gets on create besides the template defaults. */
export function defaultPod(pod: KubeObject): void {
  const spec = child(pod as Obj, 'spec');
  for (const key of ['initContainers', 'containers']) for (const c of objs(spec[key])) defaultRequests(c);
  setDefault(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) {
    for (const key of ['initContainers', 'containers']) {
      for (const c of objs(spec[key]))
        for (const p of objs(c.ports)) setDefault(p, 'hostPort', p.containerPort);
    }
  }
  defaultPodSpec(spec);
  // ServiceAccount admission (serviceAccount is the deprecated mirror of serviceAccountName).
  setDefault(spec, 'serviceAccountName', str(spec.serviceAccount) || 'default');
  setDefault(spec, 'serviceAccount', spec.serviceAccountName);
  // Priority admission, for pods without a priorityClassName resolved elsewhere.
  if (!str(spec.priorityClassName)) setDefault(spec, 'priority', 0);
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  const status = child(pod as Obj, 'status');
  setDefault(status, 'phase', 'Pending');
  setDefault(status, 'qosClass', qosClass(spec));
}

const SCHEDULING_GATED = 'Scheduling is blocked due to non-empty scheduling gates';

/**
 * The status a created pod starts with (pkg/registry/core/pod/strategy.go PrepareForCreate):
 * empty (defaultPod fills phase Pending and the QoS class), plus applySchedulingGatedCondition's
 * PodScheduled=False condition when spec.schedulingGates is not empty.
 */
export function podInitialStatus(pod: KubeObject): Record<string, unknown> {
  const gates = arr(obj(pod.spec).schedulingGates);
  if (gates.length === 0) return {};
  return {
    conditions: [
      {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null,
        lastTransitionTime: null,
        reason: 'SchedulingGated',
        message: SCHEDULING_GATED,
      },
    ],
  };
}
