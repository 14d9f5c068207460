/**
 * Nested-group flattening in time linear in groups + memberships + output size.
 *
 * The official connector rescans every group for each group it visits (quadratic, 92 % of its
 * run time at 100k users). Here groups are nodes of a graph whose edges are "has member group";
 * Tarjan's algorithm finds the strongly connected components (cycles) and emits them children
 * first, so each component's closure is the union of its own users and its children's finished
 * closures, computed once. Every group in a cycle gets the same closure, which is what
 * "every user of every descendant group" means when a group is its own descendant.
 */

export interface FlattenInput {
  readonly referenceId: string;
  readonly userMemberExternalIds: readonly string[];
  readonly groupMemberReferenceIds: readonly string[];
}

export interface FlattenResult {
  /** User externalIds; the lists below index into this. */
  readonly ids: readonly string[];
  /** Per input group: the indices of every user in it or any descendant group, each once. */
  readonly members: readonly Int32Array[];
  /** Per input group: nested group references that match no group (undefined when none). */
  readonly unknownReferences: readonly (readonly string[] | undefined)[];
}

/**
 * Flattens `groups`. `idIndex` may be pre-seeded with user externalIds (and is extended with any
 * other id a group lists), so callers can share indices with their own tables.
 */
export function flattenGroups(
  groups: readonly FlattenInput[],
  idIndex: Map<string, number> = new Map(),
): FlattenResult {
  const n = groups.length;
  const ids: string[] = new Array(idIndex.size);
  for (const [id, i] of idIndex) ids[i] = id;
  const indexOf = (id: string): number => {
    let i = idIndex.get(id);
    if (i === undefined) {
      i = ids.length;
      idIndex.set(id, i);
      ids.push(id);
    }
    return i;
  };

  // Own users per group, as indices.
  const own: Int32Array[] = new Array(n);
  for (let g = 0; g < n; g++) {
    const list = groups[g]!.userMemberExternalIds;
    const arr = new Int32Array(list.length);
    for (let k = 0; k < list.length; k++) arr[k] = indexOf(list[k]!);
    own[g] = arr;
  }

  // Child edges in compressed rows. A reference to an unknown group is reported, not followed;
  // the first group with a given referenceId wins (callers dedupe before).
  const byRef = new Map<string, number>();
  for (let g = 0; g < n; g++)
    if (!byRef.has(groups[g]!.referenceId)) byRef.set(groups[g]!.referenceId, g);
  const unknownReferences: (string[] | undefined)[] = new Array(n).fill(undefined);
  const start = new Int32Array(n + 1);
  let edges = 0;
  for (let g = 0; g < n; g++) edges += groups[g]!.groupMemberReferenceIds.length;
  const child = new Int32Array(edges);
  let e = 0;
  for (let g = 0; g < n; g++) {
    start[g] = e;
    for (const ref of groups[g]!.groupMemberReferenceIds) {
      const c = byRef.get(ref);
      if (c === undefined) (unknownReferences[g] ??= []).push(ref);
      else if (c !== g) child[e++] = c;
    }
  }
  start[n] = e;

  // Iterative Tarjan. `comp` is assigned as components are emitted, children first.
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  let sp = 0;
  const callV = new Int32Array(n);
  const callE = new Int32Array(n);
  let counter = 0;
  let comps = 0;

  const closures: Int32Array[] = [];
  const mark = new Int32Array(Math.max(ids.length, 1)).fill(-1);
  let scratch = new Int32Array(Math.max(ids.length, 16));
  const componentMembers: number[] = [];

  const emit = (root: number): void => {
    componentMembers.length = 0;
    let v: number;
    do {
      v = stack[--sp]!;
      onStack[v] = 0;
      comp[v] = comps;
      componentMembers.push(v);
    } while (v !== root);
    const c = comps++;
    let len = 0;
    const add = (list: Int32Array): void => {
      for (let k = 0; k < list.length; k++) {
        const u = list[k]!;
        if (mark[u] !== c) {
          mark[u] = c;
          if (len === scratch.length) {
            const bigger = new Int32Array(scratch.length * 2);
            bigger.set(scratch);
            scratch = bigger;
          }
          scratch[len++] = u;
        }
      }
    };
    for (const g of componentMembers) {
      add(own[g]!);
      for (let k = start[g]!; k < start[g + 1]!; k++) {
        const cc = comp[child[k]!]!;
        if (cc !== c) add(closures[cc]!);
      }
    }
    closures.push(scratch.slice(0, len));
  };

  for (let s = 0; s < n; s++) {
    if (index[s] !== -1) continue;
    let depth = 0;
    callV[0] = s;
    callE[0] = start[s]!;
    index[s] = low[s] = counter++;
    stack[sp++] = s;
    onStack[s] = 1;
    while (depth >= 0) {
      const v = callV[depth]!;
      if (callE[depth]! < start[v + 1]!) {
        const w = child[callE[depth]!++]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          depth++;
          callV[depth] = w;
          callE[depth] = start[w]!;
        } else if (onStack[w]) {
          if (index[w]! < low[v]!) low[v] = index[w]!;
        }
      } else {
        if (low[v] === index[v]) emit(v);
        depth--;
        if (depth >= 0) {
          const parent = callV[depth]!;
          if (low[v]! < low[parent]!) low[parent] = low[v]!;
        }
      }
    }
  }

  const members: Int32Array[] = new Array(n);
  for (let g = 0; g < n; g++) members[g] = closures[comp[g]!]!;
  return { ids, members, unknownReferences };
}
