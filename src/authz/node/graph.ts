/**
 * @module authz/node/graph
 *
 * The Node authorizer's relationship graph, after plugin/pkg/auth/authorizer/node/graph.go. All
 * edges point towards the vertices that represent Kubernetes nodes:
 *
 * ```
 * node <- pod <- secret | configmap | pvc | serviceaccount | resourceclaim
 *               pvc <- pv <- secret
 * node <- volumeattachment | resourceslice
 * ```
 *
 * Edges into a pod (and pod -> node, va -> node, slice -> node) are "destination edges": they
 * remember the node at the end of the chain, so a walk never follows an edge that leads to a
 * different node. Deleting a vertex also deletes neighbours left with no other edge, as upstream
 * does (`deleteVertexLocked`). Upstream's destination-edge index is a speed-up only and is not
 * ported; a walk is a plain depth-first search.
 */

export type VertexType =
  | 'configmap'
  | 'resourceslice'
  | 'node'
  | 'pod'
  | 'pvc'
  | 'pv'
  | 'resourceclaim'
  | 'secret'
  | 'volumeattachment'
  | 'serviceAccount';

export interface Vertex {
  readonly id: number;
  readonly type: VertexType;
  readonly namespace: string;
  readonly name: string;
}

const key = (type: VertexType, namespace: string, name: string): string => `${type}\0${namespace}\0${name}`;

/** A directed acyclic graph of API objects; see the module comment. Single-threaded, synchronous. */
export class Graph {
  private nextId = 0;
  private readonly vertices = new Map<string, Vertex>();
  /** from -> (to -> destination node, or null for a plain edge). */
  private readonly out = new Map<Vertex, Map<Vertex, Vertex | null>>();
  private readonly in = new Map<Vertex, Set<Vertex>>();

  /** Number of vertices (for tests and metrics). */
  get size(): number {
    return this.vertices.size;
  }

  getVertex(type: VertexType, namespace: string, name: string): Vertex | undefined {
    return this.vertices.get(key(type, namespace, name));
  }

  getOrCreateVertex(type: VertexType, namespace: string, name: string): Vertex {
    const k = key(type, namespace, name);
    let v = this.vertices.get(k);
    if (!v) {
      v = { id: this.nextId++, type, namespace, name };
      this.vertices.set(k, v);
      this.out.set(v, new Map());
      this.in.set(v, new Set());
    }
    return v;
  }

  /** Adds `from -> to`; `destination` is the node at the end of the chain, or null. */
  addEdge(from: Vertex, to: Vertex, destination: Vertex | null): void {
    this.out.get(from)!.set(to, destination);
    this.in.get(to)!.add(from);
  }

  private degree(v: Vertex): number {
    return (this.out.get(v)?.size ?? 0) + (this.in.get(v)?.size ?? 0);
  }

  private removeVertex(v: Vertex): void {
    for (const to of this.out.get(v) ?? []) this.in.get(to[0])?.delete(v);
    for (const from of this.in.get(v) ?? []) this.out.get(from)?.delete(v);
    this.out.delete(v);
    this.in.delete(v);
    this.vertices.delete(key(v.type, v.namespace, v.name));
  }

  /** Deletes a vertex and every neighbour whose only edge was to or from it. */
  deleteVertex(type: VertexType, namespace: string, name: string): void {
    const v = this.getVertex(type, namespace, name);
    if (!v) return;
    const orphans: Vertex[] = [];
    for (const to of this.out.get(v)!.keys()) if (this.degree(to) === 1) orphans.push(to);
    for (const from of this.in.get(v)!) if (this.degree(from) === 1) orphans.push(from);
    this.removeVertex(v);
    for (const o of orphans) this.removeVertex(o);
  }

  /**
   * Whether a walk from the object reaches the node without following an edge that is bound for
   * another node. `undefined` when either end is unknown (upstream logs why; the caller reports
   * "no relationship found").
   */
  hasPathFrom(nodeName: string, type: VertexType, namespace: string, name: string): boolean {
    const node = this.getVertex('node', '', nodeName);
    if (!node) return false;
    const start = this.getVertex(type, namespace, name);
    if (!start) return false;
    const seen = new Set<Vertex>([start]);
    const stack: Vertex[] = [start];
    while (stack.length) {
      const v = stack.pop()!;
      for (const [to, dest] of this.out.get(v)!) {
        if (dest && dest !== node) continue; // leads to another node
        if (to === node || dest === node) return true;
        if (!seen.has(to)) {
          seen.add(to);
          stack.push(to);
        }
      }
    }
    return false;
  }

  /** Debug view: `type:ns/name -> type:ns/name` lines, sorted. */
  edges(): string[] {
    const s = (v: Vertex): string => `${v.type}:${v.namespace ? v.namespace + '/' : ''}${v.name}`;
    const lines: string[] = [];
    for (const [from, tos] of this.out) for (const to of tos.keys()) lines.push(`${s(from)} -> ${s(to)}`);
    return lines.sort();
  }
}
