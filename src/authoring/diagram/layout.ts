/**
 * A small layered ("Sugiyama") layout, enough for flows of a few dozen steps: break cycles by
 * reversing the edges a depth-first walk finds going back, put each box on its longest-path layer,
 * route long edges through invisible waypoints, order each layer by the barycentre of its
 * neighbours (keeping the order with the fewest crossings), then place boxes near their
 * neighbours without overlap. Pure arithmetic on given box sizes.
 */

export interface LayoutBox {
  key: string;
  width: number;
  height: number;
}

export interface LayoutEdgeInput {
  from: string;
  to: string;
  /** Extra vertical room the edge's label needs in the gap below its source. */
  labelHeight: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface PlacedBox extends LayoutBox {
  /** Top-left corner. */
  x: number;
  y: number;
  layer: number;
}

export interface RoutedEdge {
  from: string;
  to: string;
  /** From the source's border to the target's border, through waypoints; empty for an edge to itself. */
  points: Point[];
  /** The edge points up the page (it returns to an earlier step). */
  backwards: boolean;
  self: boolean;
}

export interface Layout {
  boxes: Map<string, PlacedBox>;
  edges: RoutedEdge[];
  width: number;
  height: number;
}

export const layoutSpacing = { margin: 24, columnGap: 48, layerGap: 56, waypointWidth: 16, selfLoopRoom: 48 };

interface Item {
  key: string;
  width: number;
  height: number;
  layer: number;
  /** A waypoint of a long edge, not a box. */
  dummy: boolean;
  order: number;
  x: number;
}

export function layoutGraph(boxes: readonly LayoutBox[], edges: readonly LayoutEdgeInput[], start?: string): Layout {
  const keys = boxes.map((box) => box.key);
  const known = new Set(keys);
  const usable = edges.filter((edge) => known.has(edge.from) && known.has(edge.to));
  const backwards = findBackEdges(keys, usable, start);
  // The acyclic graph the layers come from: back edges turned round, loops on one box left out.
  const forward = usable
    .filter((edge) => edge.from !== edge.to)
    .map((edge, index) => ({ edge, index, from: backwards.has(edge) ? edge.to : edge.from, to: backwards.has(edge) ? edge.from : edge.to }));
  const layers = longestPathLayers(keys, forward);

  const items = new Map<string, Item>();
  boxes.forEach((box, index) => items.set(box.key, { ...box, layer: layers.get(box.key) ?? 0, dummy: false, order: index, x: 0 }));
  // Every edge becomes a chain of one-layer steps through waypoints.
  const chains = forward.map(({ edge, index, from, to }) => {
    const chain = [from];
    const source = items.get(from)!;
    const target = items.get(to)!;
    for (let layer = source.layer + 1; layer < target.layer; layer += 1) {
      const key = `\u0000${index}:${layer}`;
      items.set(key, { key, width: layoutSpacing.waypointWidth, height: 0, layer, dummy: true, order: source.order + 0.5, x: 0 });
      chain.push(key);
    }
    chain.push(to);
    return { edge, chain, reversed: backwards.has(edge) };
  });
  const down = new Map<string, string[]>();
  const up = new Map<string, string[]>();
  for (const { chain } of chains) {
    for (let i = 0; i + 1 < chain.length; i += 1) {
      const [a, b] = [chain[i]!, chain[i + 1]!];
      down.set(a, [...(down.get(a) ?? []), b]);
      up.set(b, [...(up.get(b) ?? []), a]);
    }
  }

  const rows = orderLayers([...items.values()], down, up);
  placeColumns(rows, down, up);

  // Layer heights, and gaps tall enough for the labels of edges leaving each layer.
  const labelRoom = new Map<number, number>();
  for (const edge of usable) {
    const layer = items.get(edge.from)!.layer - (backwards.has(edge) ? 1 : 0);
    labelRoom.set(layer, Math.max(labelRoom.get(layer) ?? 0, edge.labelHeight));
  }
  const top: number[] = [];
  let y = layoutSpacing.margin;
  rows.forEach((row, layer) => {
    top[layer] = y;
    const height = Math.max(0, ...row.map((item) => item.height));
    y += height + layoutSpacing.layerGap + (labelRoom.get(layer) ?? 0);
  });
  const rowHeight = rows.map((row) => Math.max(0, ...row.map((item) => item.height)));
  const minX = Math.min(...[...items.values()].map((item) => item.x - item.width / 2));
  const shift = layoutSpacing.margin - minX;
  const placed = new Map<string, PlacedBox>();
  const centre = new Map<string, Point>();
  for (const item of items.values()) {
    const cx = item.x + shift;
    const cy = top[item.layer]! + rowHeight[item.layer]! / 2;
    centre.set(item.key, { x: cx, y: cy });
    if (!item.dummy)
      placed.set(item.key, { key: item.key, width: item.width, height: item.height, x: cx - item.width / 2, y: cy - item.height / 2, layer: item.layer });
  }

  const routed: RoutedEdge[] = [];
  const ports = portsFor(chains, centre, placed);
  for (const { edge, chain, reversed } of chains) {
    const points = [ports.out.get(edge)!, ...chain.slice(1, -1).map((key) => centre.get(key)!), ports.in.get(edge)!];
    routed.push({ from: edge.from, to: edge.to, points: reversed ? points.reverse() : points, backwards: reversed, self: false });
  }
  for (const edge of usable.filter((candidate) => candidate.from === candidate.to))
    routed.push({ from: edge.from, to: edge.to, points: [], backwards: true, self: true });

  const right = Math.max(...[...placed.values()].map((box) => box.x + box.width), layoutSpacing.margin);
  return {
    boxes: placed,
    edges: routed,
    width: right + layoutSpacing.margin + layoutSpacing.selfLoopRoom,
    height: y - layoutSpacing.layerGap + layoutSpacing.margin,
  };
}

/** Edges a depth-first walk (from the start, then from every box not yet seen) finds pointing back to a box still on its path. */
function findBackEdges(keys: readonly string[], edges: readonly LayoutEdgeInput[], start?: string): Set<LayoutEdgeInput> {
  const out = new Map<string, LayoutEdgeInput[]>();
  for (const edge of edges) out.set(edge.from, [...(out.get(edge.from) ?? []), edge]);
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<LayoutEdgeInput>();
  const visit = (key: string) => {
    state.set(key, 'open');
    for (const edge of out.get(key) ?? []) {
      const seen = state.get(edge.to);
      if (seen === 'open') back.add(edge);
      else if (seen === undefined) visit(edge.to);
    }
    state.set(key, 'done');
  };
  for (const key of start !== undefined && keys.includes(start) ? [start, ...keys] : keys) if (!state.has(key)) visit(key);
  return back;
}

function longestPathLayers(keys: readonly string[], edges: readonly { from: string; to: string }[]): Map<string, number> {
  const incoming = new Map<string, number>(keys.map((key) => [key, 0]));
  const out = new Map<string, string[]>();
  for (const edge of edges) {
    incoming.set(edge.to, (incoming.get(edge.to) ?? 0) + 1);
    out.set(edge.from, [...(out.get(edge.from) ?? []), edge.to]);
  }
  const layer = new Map<string, number>(keys.map((key) => [key, 0]));
  const ready = keys.filter((key) => incoming.get(key) === 0);
  for (let key = ready.shift(); key !== undefined; key = ready.shift()) {
    for (const next of out.get(key) ?? []) {
      layer.set(next, Math.max(layer.get(next) ?? 0, (layer.get(key) ?? 0) + 1));
      const left = (incoming.get(next) ?? 1) - 1;
      incoming.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  return layer;
}

/** Barycentre sweeps down and up; the ordering with the fewest crossings wins. */
function orderLayers(items: Item[], down: Map<string, string[]>, up: Map<string, string[]>): Item[][] {
  const count = Math.max(0, ...items.map((item) => item.layer)) + 1;
  const rows: Item[][] = Array.from({ length: count }, () => []);
  for (const item of items) rows[item.layer]!.push(item);
  for (const row of rows) row.sort((a, b) => a.order - b.order);
  const position = new Map<string, number>();
  const index = () => rows.forEach((row) => row.forEach((item, i) => position.set(item.key, i)));
  index();
  let best = rows.map((row) => [...row]);
  let fewest = crossings(rows, down, position);
  for (let sweep = 0; sweep < 12 && fewest > 0; sweep += 1) {
    const downward = sweep % 2 === 0;
    const layerOrder = downward
      ? rows.map((_, i) => i).slice(1)
      : rows
          .map((_, i) => i)
          .reverse()
          .slice(1);
    for (const layer of layerOrder) {
      const row = rows[layer]!;
      const neighbours = downward ? up : down;
      const weight = new Map(
        row.map((item, i) => {
          const around = (neighbours.get(item.key) ?? []).map((key) => position.get(key)!);
          return [item.key, around.length > 0 ? around.reduce((a, b) => a + b, 0) / around.length : i];
        }),
      );
      row.sort((a, b) => weight.get(a.key)! - weight.get(b.key)!);
      row.forEach((item, i) => position.set(item.key, i));
    }
    const now = crossings(rows, down, position);
    if (now < fewest) {
      fewest = now;
      best = rows.map((row) => [...row]);
    }
  }
  best.forEach((row) => row.forEach((item, i) => position.set(item.key, i)));
  return best;
}

function crossings(rows: Item[][], down: Map<string, string[]>, position: Map<string, number>): number {
  let total = 0;
  for (const row of rows) {
    const pairs = row.flatMap((item) => (down.get(item.key) ?? []).map((to) => [position.get(item.key)!, position.get(to)!] as const));
    for (let i = 0; i < pairs.length; i += 1)
      for (let j = i + 1; j < pairs.length; j += 1) {
        const [a, b] = [pairs[i]!, pairs[j]!];
        if ((a[0] - b[0]) * (a[1] - b[1]) < 0) total += 1;
      }
  }
  return total;
}

/** Centres each item over its neighbours, layer by layer down then up, never letting two overlap. */
function placeColumns(rows: Item[][], down: Map<string, string[]>, up: Map<string, string[]>): void {
  const byKey = new Map(rows.flat().map((item) => [item.key, item]));
  for (const row of rows) {
    let x = 0;
    for (const item of row) {
      item.x = x + item.width / 2;
      x += item.width + layoutSpacing.columnGap;
    }
  }
  for (let pass = 0; pass < 6; pass += 1) {
    const downward = pass % 2 === 0;
    const order = downward ? rows : [...rows].reverse();
    for (const row of order) {
      const neighbours = downward ? up : down;
      const desired = row.map((item) => {
        const around = (neighbours.get(item.key) ?? []).map((key) => byKey.get(key)!.x);
        return around.length > 0 ? around.reduce((a, b) => a + b, 0) / around.length : item.x;
      });
      spread(row, desired);
    }
  }
}

/** Puts a row's items as near their desired centres as their order and widths allow, then shifts the row to balance the error. */
function spread(row: Item[], desired: number[]): void {
  let right = -Infinity;
  row.forEach((item, i) => {
    item.x = Math.max(desired[i]!, right + item.width / 2);
    right = item.x + item.width / 2 + layoutSpacing.columnGap;
  });
  const error = row.reduce((sum, item, i) => sum + (desired[i]! - item.x), 0) / Math.max(1, row.length);
  for (const item of row) item.x += error;
}

/** Where each edge leaves and enters a box: spread along the bottom and top borders, back edges at the right. */
function portsFor(
  chains: readonly { edge: LayoutEdgeInput; chain: string[]; reversed: boolean }[],
  centre: Map<string, Point>,
  placed: Map<string, PlacedBox>,
): { out: Map<LayoutEdgeInput, Point>; in: Map<LayoutEdgeInput, Point> } {
  const result = { out: new Map<LayoutEdgeInput, Point>(), in: new Map<LayoutEdgeInput, Point>() };
  // In chain direction (downwards): the chain's first item is left at its bottom, the last entered at its top.
  const leaving = new Map<string, { edge: LayoutEdgeInput; towards: number; reversed: boolean }[]>();
  const entering = new Map<string, { edge: LayoutEdgeInput; from: number; reversed: boolean }[]>();
  for (const { edge, chain, reversed } of chains) {
    const [a, b] = [chain[0]!, chain[chain.length - 1]!];
    leaving.set(a, [...(leaving.get(a) ?? []), { edge, towards: centre.get(chain[1]!)!.x, reversed }]);
    entering.set(b, [...(entering.get(b) ?? []), { edge, from: centre.get(chain[chain.length - 2]!)!.x, reversed }]);
  }
  const spreadAlong = (
    key: string,
    list: { edge: LayoutEdgeInput; at: number; reversed: boolean }[],
    side: 'top' | 'bottom',
    into: Map<LayoutEdgeInput, Point>,
  ) => {
    const box = placed.get(key)!;
    const sorted = [...list].sort((a, b) => Number(a.reversed) - Number(b.reversed) || a.at - b.at);
    const usable = box.width * 0.7;
    sorted.forEach((entry, i) => {
      const x = box.x + (box.width - usable) / 2 + (usable * (i + 1)) / (sorted.length + 1);
      into.set(entry.edge, { x, y: side === 'top' ? box.y : box.y + box.height });
    });
  };
  for (const [key, list] of leaving)
    spreadAlong(
      key,
      list.map((entry) => ({ ...entry, at: entry.towards })),
      'bottom',
      result.out,
    );
  for (const [key, list] of entering)
    spreadAlong(
      key,
      list.map((entry) => ({ ...entry, at: entry.from })),
      'top',
      result.in,
    );
  return result;
}
