/**
 * A heap graph (plain objects, arrays, Maps, Sets, typed arrays and a few
 * registered classes, cycles and sharing included) as flat tables, and back.
 *
 * v8.serialize recurses once per nesting level and overflows the stack on a
 * Linux model (symbols reach symbols through their expressions), and reading
 * its 25 MB back costs about what parsing the tree does. Here the walk is
 * iterative, each distinct string is stored once, and every object of one
 * shape (its class and keys) is made by one generated function, so V8 gives
 * them one hidden class straight away.
 */

export interface FlatGraph {
  /** Per object: its kind (and for objects, its shape) as a number; see KIND. */
  objects: Int32Array;
  /** Per shape: the index of its class in `classes` (-1: a plain object) and the keys. */
  shapes: { cls: number; keys: string[] }[];
  /** Names of the classes of the graph's objects: made again with their prototypes, without running their constructors. */
  classes: string[];
  /** The values, in object order: a tag and a datum each. */
  tags: Uint8Array;
  data: Int32Array;
  strings: string[];
  floats: Float64Array;
  typed: ArrayBufferView[];
}

/** Thrown for a value the tables cannot hold (a function, a symbol, two classes of one name); the caller then keeps no cache. */
export class UnflattenableError extends Error {}

/** objects[i]: an array, Map or Set, or shape index << 2 | KIND.object, or typed index << 2 | KIND.typed. */
const KIND = { object: 0, array: 1, map: 2, set: 3 } as const;
const TYPED_BIT = 4;

const TAG = { int: 0, string: 1, ref: 2, undef: 3, null: 4, true: 5, false: 6, float: 7 } as const;

const TYPED_CONSTRUCTORS = [Int32Array, Uint8Array, Uint32Array, Float64Array, Int8Array, Uint16Array, Int16Array, Float32Array];

/** The tables, and the prototypes of the classes they name (for unflatten in this process). */
export function flatten(root: object): { graph: FlatGraph; prototypes: Map<string, object> } {
  const ids = new Map<object, number>();
  const order: object[] = [];
  const objects: number[] = [];
  const shapes: { cls: number; keys: string[] }[] = [];
  const shapeIds = new Map<string, number>();
  const typed: ArrayBufferView[] = [];
  const strings: string[] = [];
  const stringIds = new Map<string, number>();
  const floats: number[] = [];
  let tags = new Uint8Array(1 << 16);
  let data = new Int32Array(1 << 16);
  let n = 0;
  const classIndex = new Map<object, number>();
  const prototypes = new Map<string, object>();
  const classOf = (proto: object | null): number => {
    if (proto === Object.prototype) return -1;
    let index = classIndex.get(proto!);
    if (index !== undefined) return index;
    const name = (proto as { constructor?: { name?: string } } | null)?.constructor?.name;
    if (!name || prototypes.has(name)) throw new UnflattenableError(`an object of ${name ? `a second class named ${name}` : 'no named class'} in the graph`);
    prototypes.set(name, proto!);
    classIndex.set(proto!, (index = classIndex.size));
    return index;
  };

  const ref = (o: object): number => {
    let id = ids.get(o);
    if (id === undefined) {
      id = order.length;
      ids.set(o, id);
      order.push(o);
    }
    return id;
  };
  const put = (tag: number, datum: number): void => {
    if (n === tags.length) {
      const t = new Uint8Array(n * 2);
      t.set(tags);
      tags = t;
      const d = new Int32Array(n * 2);
      d.set(data);
      data = d;
    }
    tags[n] = tag;
    data[n++] = datum;
  };
  const value = (v: unknown): void => {
    switch (typeof v) {
      case 'number':
        if ((v | 0) === v && !Object.is(v, -0)) put(TAG.int, v);
        else put(TAG.float, floats.push(v) - 1);
        return;
      case 'string': {
        let s = stringIds.get(v);
        if (s === undefined) stringIds.set(v, (s = strings.push(v) - 1));
        put(TAG.string, s);
        return;
      }
      case 'boolean':
        put(v ? TAG.true : TAG.false, 0);
        return;
      case 'undefined':
        put(TAG.undef, 0);
        return;
      case 'object':
        if (v === null) put(TAG.null, 0);
        else put(TAG.ref, ref(v));
        return;
      default:
        throw new UnflattenableError(`a ${typeof v} in the graph`);
    }
  };

  ref(root);
  for (let i = 0; i < order.length; i++) {
    const o = order[i]!;
    if (Array.isArray(o)) {
      objects.push(KIND.array);
      put(TAG.int, o.length);
      for (let j = 0; j < o.length; j++) value(o[j]);
    } else if (o instanceof Map) {
      objects.push(KIND.map);
      put(TAG.int, o.size);
      for (const [k, v] of o) {
        value(k);
        value(v);
      }
    } else if (o instanceof Set) {
      objects.push(KIND.set);
      put(TAG.int, o.size);
      for (const v of o) value(v);
    } else if (ArrayBuffer.isView(o)) {
      if (!TYPED_CONSTRUCTORS.some((c) => o instanceof c)) throw new UnflattenableError('a DataView or BigInt array in the graph');
      objects.push(((typed.push(o) - 1) << 3) | TYPED_BIT);
    } else {
      const cls = classOf(Object.getPrototypeOf(o) as object | null);
      const keys = Object.keys(o);
      // The factory writes keys into an object literal: __proto__ there would set the prototype instead.
      if (keys.includes('__proto__')) throw new UnflattenableError('a __proto__ key in the graph');
      const shapeKey = `${cls}\u0000${keys.join('\u0000')}`;
      let shape = shapeIds.get(shapeKey);
      if (shape === undefined) shapeIds.set(shapeKey, (shape = shapes.push({ cls, keys }) - 1));
      objects.push((shape << 3) | KIND.object);
      for (const k of keys) value((o as Record<string, unknown>)[k]);
    }
  }
  const graph = {
    objects: Int32Array.from(objects),
    shapes,
    classes: [...prototypes.keys()],
    tags: tags.slice(0, n),
    data: data.slice(0, n),
    strings,
    floats: Float64Array.from(floats),
    typed: typed.map(copyView),
  };
  return { graph, prototypes };
}

/** A typed array of its own buffer: a view into a larger buffer would store the whole buffer. */
function copyView(view: ArrayBufferView): ArrayBufferView {
  return (view as Int32Array).slice();
}

/** The graph flatten() was given. Throws on tables it did not make (a corrupt cache): the caller rebuilds. */
export function unflatten(graph: FlatGraph, prototypes: ReadonlyMap<string, object>): unknown {
  const { objects, shapes, classes, tags, data, strings, floats, typed } = graph;
  const made: object[] = new Array<object>(objects.length);
  // Objects are made empty of their final shape first: values may refer to objects made later.
  const factories = shapes.map((s) => shapeFactory(s, s.cls >= 0 ? prototypes.get(classes[s.cls]!) : Object.prototype));
  for (let i = 0; i < objects.length; i++) {
    const k = objects[i]!;
    if (k & TYPED_BIT) made[i] = typed[k >> 3]!;
    else if ((k & 3) === KIND.object) made[i] = factories[k >> 3]!();
    else if (k === KIND.array) made[i] = [];
    else if (k === KIND.map) made[i] = new Map();
    else made[i] = new Set();
  }
  let p = 0;
  const next = (): unknown => {
    const datum = data[p]!;
    switch (tags[p++]) {
      case TAG.int:
        return datum;
      case TAG.string:
        return strings[datum];
      case TAG.ref:
        return made[datum];
      case TAG.undef:
        return undefined;
      case TAG.null:
        return null;
      case TAG.true:
        return true;
      case TAG.false:
        return false;
      case TAG.float:
        return floats[datum];
      default:
        throw new Error('corrupt graph: unknown value tag');
    }
  };
  const fillers = shapes.map((s) => shapeFiller(s));
  for (let i = 0; i < objects.length; i++) {
    const k = objects[i]!;
    if (k & TYPED_BIT) continue;
    const o = made[i]!;
    if ((k & 3) === KIND.object) {
      fillers[k >> 3]!(o, next);
      continue;
    }
    const size = next() as number;
    if (k === KIND.array) for (let j = 0; j < size; j++) (o as unknown[]).push(next());
    else if (k === KIND.map) for (let j = 0; j < size; j++) (o as Map<unknown, unknown>).set(next(), next());
    else for (let j = 0; j < size; j++) (o as Set<unknown>).add(next());
  }
  if (p !== tags.length || made.some((o) => o === undefined)) throw new Error('corrupt graph: tables disagree');
  return made[0];
}

function shapeFactory(shape: { cls: number; keys: string[] }, proto: object | undefined): () => object {
  if (proto === undefined) throw new Error('unknown class in the graph (written by other code)');
  if (proto !== Object.prototype) return () => Object.create(proto) as object;
  const literal = shape.keys.map((k) => `${JSON.stringify(k)}: undefined`).join(', ');
  return new Function(`return () => ({ ${literal} });`)() as () => object;
}

function shapeFiller(shape: { keys: string[] }): (o: object, next: () => unknown) => void {
  const body = shape.keys.map((k) => `o[${JSON.stringify(k)}] = next();`).join('\n');
  return new Function('o', 'next', body) as (o: object, next: () => unknown) => void;
}
