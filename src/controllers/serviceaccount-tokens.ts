/**
 * The service-account tokens controller of kube-controller-manager
 * (pkg/controller/serviceaccount/tokens_controller.go), in-process, for legacy Secret-based tokens:
 * - a Secret of type `kubernetes.io/service-account-token` annotated
 *   `kubernetes.io/service-account.name` gets `token` (a legacy JWT signed with the
 *   service-account key), `ca.crt` and `namespace`, and the account's uid as
 *   `kubernetes.io/service-account.uid`;
 * - such a Secret whose account does not exist (or has another uid) is deleted;
 * - deleting an account deletes its token Secrets.
 * As in Kubernetes 1.24+, no token Secret is created for an account on its own: one is made only
 * when a user creates the annotated Secret.
 */
import { deepCopy } from '../api/meta.js';
import type { KubeObject } from '../api/types.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import type { TokenSigner } from '../serviceaccount/jwt.js';
import { WorkQueue } from './work-queue.js';

export const SA_TOKEN_TYPE = 'kubernetes.io/service-account-token';
export const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
export const SA_UID_ANNOTATION = 'kubernetes.io/service-account.uid';

const b64 = (s: string) => Buffer.from(s).toString('base64');

export class ServiceAccountTokensController {
  private readonly watchers: { cancel(): void }[] = [];
  private readonly queue: WorkQueue;

  constructor(
    private readonly secrets: ObjectStore,
    private readonly accounts: ObjectStore,
    private readonly signer: TokenSigner,
    private readonly rootCaPem: string,
    private readonly log: (m: string) => void,
  ) {
    this.queue = new WorkQueue((key) => this.sync(key), {
      name: 'serviceaccount-tokens',
      log,
      retryMs: 2000,
    });
  }

  start(): void {
    this.watchers.push(
      this.secrets.cache.watch(
        this.secrets.prefix,
        this.secrets.cache.revision(),
        (evs) => {
          for (const e of evs)
            if (e.type !== 'DELETED' && e.object.obj.type === SA_TOKEN_TYPE)
              this.queue.add(keyOf(e.object.obj));
        },
        (err) => this.log(`serviceaccount-tokens secret watch stopped: ${err.message}`),
      ),
      this.accounts.cache.watch(
        this.accounts.prefix,
        this.accounts.cache.revision(),
        (evs) => {
          for (const e of evs) if (e.type === 'DELETED') this.accountGone(e.object.obj);
        },
        (err) => this.log(`serviceaccount-tokens account watch stopped: ${err.message}`),
      ),
    );
    for (const s of this.secrets.cache.list(this.secrets.prefix))
      if (s.obj.type === SA_TOKEN_TYPE) this.queue.add(keyOf(s.obj));
  }

  stop(): void {
    this.queue.stop();
    this.watchers.forEach((w) => w.cancel());
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private accountGone(sa: KubeObject): void {
    const ns = sa.metadata!.namespace!;
    for (const s of this.secrets.cache.list(this.secrets.listPrefix(ns)))
      if (
        s.obj.type === SA_TOKEN_TYPE &&
        s.obj.metadata?.annotations?.[SA_NAME_ANNOTATION] === sa.metadata!.name
      )
        this.queue.add(keyOf(s.obj));
  }

  private async sync(key: string): Promise<void> {
    const [ns, name] = key.split('/');
    const cur = this.secrets.get(ns, name);
    if (!cur || cur.obj.type !== SA_TOKEN_TYPE || cur.obj.metadata?.deletionTimestamp) return;
    const ann = cur.obj.metadata?.annotations ?? {};
    const saName = ann[SA_NAME_ANNOTATION] ?? '';
    const sa = this.accounts.get(ns, saName)?.obj;
    const wantUid = ann[SA_UID_ANNOTATION];
    if (!sa || (wantUid && wantUid !== sa.metadata?.uid)) {
      this.log(
        `serviceaccount-tokens: deleting secret ${ns}/${name}: service account ${ns}/${saName} ${sa ? 'has another uid' : 'is gone'}`,
      );
      try {
        await this.secrets.delete(ns, name, cur.rv);
      } catch (e) {
        if ((e as { code?: number }).code !== 404 && (e as { code?: number }).code !== 409) throw e;
      }
      return;
    }
    const data = (cur.obj.data ?? {}) as Record<string, string>;
    if (data.token && data['ca.crt'] && data.namespace && wantUid) return;
    const uid = sa.metadata!.uid!;
    // Signing is async (jose): the token is made before the update, used only if still missing.
    const token = data.token ? undefined : await this.signer.signLegacy(ns, { name: saName, uid }, name);
    await this.secrets.guaranteedUpdate(ns, name, (c) => {
      if (c.obj.type !== SA_TOKEN_TYPE) return undefined;
      const next = deepCopy(c.obj);
      const d = { ...((next.data ?? {}) as Record<string, string>) };
      if (!d.token) {
        // Emptied between the read and now: the change's own watch event syncs it again.
        if (!token) return undefined;
        d.token = b64(token);
      }
      if (!d['ca.crt']) d['ca.crt'] = b64(this.rootCaPem);
      if (!d.namespace) d.namespace = b64(ns);
      next.data = d;
      next.metadata = {
        ...next.metadata,
        annotations: { ...(next.metadata?.annotations ?? {}), [SA_UID_ANNOTATION]: uid },
      };
      return next;
    });
  }
}

function keyOf(o: KubeObject): string {
  return `${o.metadata!.namespace}/${o.metadata!.name}`;
}
