/**
 * @module registry/printers/volumes
 *
 * PersistentVolume and PersistentVolumeClaim tables, after printPersistentVolume and
 * printPersistentVolumeClaim of pkg/printers/internalversion/printers.go (storage class from the
 * beta annotation first: helper.GetPersistentVolume(Claim)Class).
 */
import type { KubeObject } from '../../api/types.js';
import type { TableConvertor } from '../types.js';
import { at, isSet, obj, str } from '../util.js';
import { accessModes, ageCol, ageOf, col, nameCol, nameOf, quantity, table } from './columns.js';

const STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** GetPersistentVolume(Claim)Class: the beta annotation wins, then spec.storageClassName. */
function storageClassOf(o: KubeObject): string {
  const ann = o.metadata?.annotations;
  if (ann && Object.prototype.hasOwnProperty.call(ann, STORAGE_CLASS_ANNOTATION))
    return ann[STORAGE_CLASS_ANNOTATION];
  return str(at(o, 'spec', 'storageClassName'));
}

const unsetOr = (v: unknown) => (isSet(v) ? str(v) : '<unset>');
const phaseOf = (o: KubeObject) =>
  isSet(o.metadata?.deletionTimestamp) ? 'Terminating' : str(at(o, 'status', 'phase'));

export const persistentVolumeTable: TableConvertor = table(
  [
    nameCol(),
    col(
      'Capacity',
      'string',
      "capacity is the description of the persistent volume's resources and capacity.",
    ),
    col('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    col(
      'Reclaim Policy',
      'string',
      'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.',
    ),
    col(
      'Status',
      'string',
      'phase indicates if a volume is available, bound to a claim, or released by a claim.',
    ),
    col(
      'Claim',
      'string',
      'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.',
    ),
    col('StorageClass', 'string', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    col(
      'Reason',
      'string',
      'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.',
    ),
    ageCol(),
    col(
      'VolumeMode',
      'string',
      'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.',
      true,
    ),
  ],
  (pv, now) => {
    const spec = obj(pv.spec);
    const ref = spec.claimRef;
    return [
      nameOf(pv),
      quantity(obj(spec.capacity).storage),
      accessModes(spec.accessModes),
      str(spec.persistentVolumeReclaimPolicy),
      phaseOf(pv),
      isSet(ref) ? `${str(obj(ref).namespace)}/${str(obj(ref).name)}` : '',
      storageClassOf(pv),
      unsetOr(spec.volumeAttributesClassName),
      str(at(pv, 'status', 'reason')),
      ageOf(pv, now),
      unsetOr(spec.volumeMode),
    ];
  },
);

export const persistentVolumeClaimTable: TableConvertor = table(
  [
    nameCol(),
    col('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    col(
      'Volume',
      'string',
      'volumeName is the binding reference to the PersistentVolume backing this claim.',
    ),
    col('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    col(
      'Access Modes',
      'string',
      'accessModes contains the actual access modes the volume backing the PVC has.',
    ),
    col('StorageClass', 'string', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageCol(),
    col('VolumeMode', 'string', 'volumeMode defines what type of volume is required by the claim.', true),
  ],
  (pvc, now) => {
    const spec = obj(pvc.spec);
    const status = obj(pvc.status);
    const bound = str(spec.volumeName) !== '';
    return [
      nameOf(pvc),
      phaseOf(pvc),
      str(spec.volumeName),
      bound ? quantity(obj(status.capacity).storage) : '',
      bound ? accessModes(status.accessModes) : '',
      storageClassOf(pvc),
      str(spec.volumeAttributesClassName) || '<unset>',
      ageOf(pvc, now),
      unsetOr(spec.volumeMode),
    ];
  },
);
