/**
 * @module kubelet/pods/token-volume
 *
 * The projected service-account token volume (kube-api-access-*, as the ServiceAccount admission
 * plugin adds it), as the kubelet's token manager (pkg/kubelet/token/token_manager.go) fills it:
 * a TokenRequest on `serviceaccounts/<name>/token` bound to the pod (boundObjectRef Pod name+uid,
 * expirationSeconds from the projection, default 3607 as admission sets it), made with the node's
 * identity (the Node authorizer allows it only for a pod on this node), plus `ca.crt` (the
 * kube-root-ca.crt ConfigMap) and `namespace`. Files land in `<pod dir>/volumes/<volume>/`
 * (0600) and are re-requested at 80 % of the token's lifetime (requiresRefresh).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../../api/types.js';
import type { NodeApi } from '../api.js';

export const SA_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

interface Source {
  serviceAccountToken?: { path?: string; expirationSeconds?: number; audience?: string };
  configMap?: { name?: string; items?: { key?: string; path?: string }[] };
  downwardAPI?: { items?: { path?: string; fieldRef?: { fieldPath?: string } }[] };
}

export class TokenVolume {
  private timer?: NodeJS.Timeout;
  /** File contents by the container path they are mounted at. */
  readonly files = new Map<string, string>();

  constructor(
    private readonly pod: KubeObject,
    private readonly api: NodeApi,
    private readonly dir: string,
    private readonly log: (m: string) => void,
  ) {}

  private volumes(): { name: string; mountPath: string; sources: Source[] }[] {
    const spec = (this.pod.spec ?? {}) as {
      volumes?: { name?: string; projected?: { sources?: Source[] } }[];
      containers?: { volumeMounts?: { name?: string; mountPath?: string }[] }[];
    };
    const out = [];
    for (const v of spec.volumes ?? []) {
      const sources = v?.projected?.sources;
      if (!v?.name || !Array.isArray(sources) || !sources.some((s) => s?.serviceAccountToken)) continue;
      const mount = spec.containers?.flatMap((c) => c.volumeMounts ?? []).find((m) => m.name === v.name);
      out.push({ name: v.name, mountPath: mount?.mountPath ?? SA_MOUNT, sources });
    }
    return out;
  }

  /** Fills every projected token volume; schedules the refresh. */
  async fill(): Promise<void> {
    const md = this.pod.metadata ?? {};
    const ns = md.namespace ?? '';
    const sa = (this.pod.spec as { serviceAccountName?: string })?.serviceAccountName || 'default';
    let refreshMs = Infinity;
    for (const v of this.volumes()) {
      const dir = path.join(this.dir, 'volumes', v.name);
      mkdirSync(dir, { recursive: true, mode: 0o750 });
      const put = (file: string, data: string) => {
        writeFileSync(path.join(dir, file), data, { mode: 0o600 });
        this.files.set(`${v.mountPath}/${file}`, data);
      };
      for (const s of v.sources) {
        if (s?.serviceAccountToken) {
          const exp = s.serviceAccountToken.expirationSeconds ?? 3607;
          const tr = (await this.api('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, {
            apiVersion: 'authentication.k8s.io/v1',
            kind: 'TokenRequest',
            spec: {
              audiences: s.serviceAccountToken.audience ? [s.serviceAccountToken.audience] : null,
              expirationSeconds: exp,
              boundObjectRef: { apiVersion: 'v1', kind: 'Pod', name: md.name, uid: md.uid },
            },
          })) as { status?: { token?: string; expirationTimestamp?: string } };
          put(s.serviceAccountToken.path ?? 'token', tr.status?.token ?? '');
          const expMs = Date.parse(tr.status?.expirationTimestamp ?? '') || Date.now() + exp * 1000;
          refreshMs = Math.min(refreshMs, (expMs - Date.now()) * 0.8);
        } else if (s?.configMap?.name) {
          const cm = (await this.api('GET', `/api/v1/namespaces/${ns}/configmaps/${s.configMap.name}`).catch(
            () => undefined,
          )) as { data?: Record<string, string> } | undefined;
          for (const it of s.configMap.items ?? [])
            if (it.key && it.path && cm?.data?.[it.key] !== undefined) put(it.path, cm.data[it.key]);
        } else if (s?.downwardAPI) {
          for (const it of s.downwardAPI.items ?? [])
            if (it.path && it.fieldRef?.fieldPath === 'metadata.namespace') put(it.path, ns);
        }
      }
    }
    if (Number.isFinite(refreshMs)) {
      this.timer = setTimeout(
        () => void this.fill().catch((e: unknown) => this.log(`E token volume: ${(e as Error).message}`)),
        Math.max(1000, refreshMs),
      );
      this.timer.unref();
    }
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
