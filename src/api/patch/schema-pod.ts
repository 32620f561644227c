/**
 * Patch/apply semantics of core/v1 PodSpec, PodTemplateSpec and PodStatus, transcribed from the
 * struct tags and markers in k8s.io/api/core/v1/types.go (patchStrategy/patchMergeKey and
 * +listType/+listMapKey/+mapType). Only fields whose semantics differ from the deduced default
 * (granular struct, atomic list) or that the managed-fields compare needs are listed.
 */
import {
  atomicList,
  atomicMergeList,
  conditions,
  mapList,
  objectMeta,
  struct,
  valueStruct,
  type Schema,
} from './schema.js';

const resourceRequirements: Schema = valueStruct({ claims: mapList(['name'], {}, false) });

const containerFields: Record<string, Schema> = {
  // ports: patchMergeKey=containerPort; +listMapKey=containerPort +listMapKey=protocol (default TCP)
  ports: mapList(['containerPort', 'protocol'], {}, 'containerPort', { keyDefaults: { protocol: 'TCP' } }),
  env: mapList(['name']),
  envFrom: atomicList,
  volumeMounts: mapList(['mountPath']),
  volumeDevices: mapList(['devicePath']),
  resizePolicy: atomicList,
  resources: resourceRequirements,
  command: atomicList,
  args: atomicList,
};

export const container: Schema = struct(containerFields);

const volume: Schema = struct({
  // VolumeSource is inlined; projected sources and items are atomic lists (deduced).
});

const topologySpreadConstraint: Schema = struct({ matchLabelKeys: atomicList });

export const podSpec: Schema = valueStruct({
  volumes: mapList(['name'], volume),
  initContainers: mapList(['name'], container),
  containers: mapList(['name'], container, undefined, { always: 'null' }),
  ephemeralContainers: mapList(['name'], container),
  imagePullSecrets: mapList(['name']),
  tolerations: atomicList,
  hostAliases: mapList(['ip'], struct({ hostnames: atomicList })),
  nodeSelector: { atomic: true },
  // patchMergeKey=topologyKey; +listMapKey=topologyKey +listMapKey=whenUnsatisfiable
  topologySpreadConstraints: mapList(
    ['topologyKey', 'whenUnsatisfiable'],
    topologySpreadConstraint,
    'topologyKey',
  ),
  readinessGates: atomicList,
  resourceClaims: mapList(['name']),
  schedulingGates: mapList(['name']),
  overhead: {},
});

export const podStatus: Schema = valueStruct({
  conditions,
  podIPs: mapList(['ip']),
  hostIPs: atomicMergeList('ip'),
  initContainerStatuses: atomicList,
  containerStatuses: atomicList,
  ephemeralContainerStatuses: atomicList,
  resourceClaimStatuses: mapList(['name']),
});

export const podTemplateSpec: Schema = valueStruct({ metadata: objectMeta, spec: podSpec });

export const pod: Schema = struct({ metadata: objectMeta, spec: podSpec, status: podStatus });
