/**
 * The token cleaner of kube-controller-manager (pkg/controller/bootstrap/tokencleaner.go),
 * in-process: bootstrap-token Secrets in kube-system whose `expiration` has passed are deleted
 * (precondition: the same uid, here the same resourceVersion, so a re-created Secret survives);
 * one that expires later is looked at again when it does.
 */
import type { KubeObject } from '../api/types.js';
import type { ObjectStore } from '../apiserver/rest/object-store.js';
import {
  BOOTSTRAP_NAMESPACE,
  BOOTSTRAP_TOKEN_SECRET_TYPE,
  hasExpired,
  secretData,
} from '../authn/bootstrap-token.js';
import { WorkQueue, followObjects } from './work-queue.js';

/** setTimeout's longest delay; later expirations are re-checked then. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class BootstrapTokenCleaner {
  private watcher?: { cancel(): void };
  private readonly queue: WorkQueue;
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly secrets: ObjectStore,
    private readonly opts: { now: () => Date; log: (m: string) => void },
  ) {
    this.queue = new WorkQueue((name) => this.evaluate(name), {
      name: 'token cleaner',
      log: opts.log,
      retryMs: 5000,
    });
  }

  start(): void {
    const prefix = this.secrets.listPrefix(BOOTSTRAP_NAMESPACE);
    this.watcher = followObjects(
      this.secrets,
      prefix,
      (o) => this.enqueue(o),
      'token cleaner',
      this.opts.log,
    );
  }

  stop(): void {
    this.queue.stop();
    this.watcher?.cancel();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Resolves once queued evaluations are done (tests). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  private enqueue(s: KubeObject): void {
    if (s.type !== BOOTSTRAP_TOKEN_SECRET_TYPE) return;
    this.queue.add(s.metadata!.name!);
  }

  private async evaluate(name: string): Promise<void> {
    const cur = this.secrets.get(BOOTSTRAP_NAMESPACE, name);
    if (!cur || cur.obj.type !== BOOTSTRAP_TOKEN_SECRET_TYPE) return;
    const now = this.opts.now();
    if (hasExpired(cur.obj, now)) {
      this.opts.log(`token cleaner: deleting expired secret ${BOOTSTRAP_NAMESPACE}/${name}`);
      try {
        await this.secrets.delete(BOOTSTRAP_NAMESPACE, name, cur.rv);
      } catch (e) {
        // Gone or changed meanwhile: the change is evaluated on its own event.
        if ((e as { code?: number }).code === 404 || (e as { code?: number }).code === 409) return;
        throw e;
      }
      return;
    }
    const exp = Date.parse(secretData(cur.obj, 'expiration'));
    if (Number.isNaN(exp)) return;
    clearTimeout(this.timers.get(name));
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, exp - now.getTime()) + 1000);
    const t = setTimeout(() => {
      this.timers.delete(name);
      this.queue.add(name);
    }, delay);
    t.unref();
    this.timers.set(name, t);
  }
}
