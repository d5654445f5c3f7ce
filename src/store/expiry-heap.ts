/**
 * A binary min-heap of (expiresAt, seq) pairs for the memory store: the soonest-expiring entry
 * is on top, ties go to the older write. Entries are never removed from the middle; the store
 * checks `seq` on pop and skips nodes whose key was rewritten or deleted since (lazy deletion).
 */
export interface ExpiryNode {
  key: string;
  expiresAt: number;
  seq: number;
}

function before(a: ExpiryNode, b: ExpiryNode): boolean {
  return a.expiresAt < b.expiresAt || (a.expiresAt === b.expiresAt && a.seq < b.seq);
}

export class ExpiryHeap {
  private nodes: ExpiryNode[] = [];

  get size(): number {
    return this.nodes.length;
  }

  peek(): ExpiryNode | undefined {
    return this.nodes[0];
  }

  push(node: ExpiryNode): void {
    const nodes = this.nodes;
    nodes.push(node);
    let i = nodes.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(nodes[i] as ExpiryNode, nodes[parent] as ExpiryNode)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): ExpiryNode | undefined {
    const nodes = this.nodes;
    const top = nodes[0];
    const last = nodes.pop();
    if (top === undefined || last === undefined || nodes.length === 0) return top;
    nodes[0] = last;
    this.siftDown(0);
    return top;
  }

  /** Replaces the content in O(n); used to drop stale nodes once they outnumber live ones. */
  rebuild(nodes: ExpiryNode[]): void {
    this.nodes = nodes;
    for (let i = (nodes.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  clear(): void {
    this.nodes = [];
  }

  private siftDown(start: number): void {
    const nodes = this.nodes;
    const n = nodes.length;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < n && before(nodes[left] as ExpiryNode, nodes[smallest] as ExpiryNode)) smallest = left;
      if (right < n && before(nodes[right] as ExpiryNode, nodes[smallest] as ExpiryNode)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private swap(a: number, b: number): void {
    const nodes = this.nodes;
    const tmp = nodes[a] as ExpiryNode;
    nodes[a] = nodes[b] as ExpiryNode;
    nodes[b] = tmp;
  }
}
