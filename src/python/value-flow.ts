/**
 * How values flow where the alias table alone does not follow them, as data and one pure helper
 * shared by the analyser and its references in test/python/reference/ (so all three change together):
 *
 * - builtins that hand back their argument or one of its items (`next(Path(d).iterdir())`,
 *   `sorted(paths)`, `max(paths, key=…)`): the result may be what the argument held;
 * - a subscript's item may be what its container held (`files[0]`, `e.args[0]`);
 * - a function's parameters hold what its call sites pass (`def mv(p, q): p.rename(q)` then
 *   `mv(Path(a), b)`), and so do a lambda's or function's given to `map`/`filter`; a call of a
 *   function of the code is what it returns;
 * - `a, b = f()` binds a and b to (an item of) the call's result;
 * - members of a pathlib path that are plain strings (`p.name`, `p.stem`, `p.read_text()`): a
 *   `.replace(…)` on them is `str.replace`, not `Path.replace`.
 *
 * Found probing the strict profile (docs/dev/python-parsers.md, round 15): a path reached through any of
 * the first three lost its type, so `Path.rename`/`Path.replace` went unseen.
 */
import { child, namedChildren, type SyntaxNode } from './syntax-tree.js';

/** The type of instancesOf's wrapper. */
export const INSTANCES_OF = 'instances_of';

/**
 * A value bound by value flow, of which only the objects it may be count (its instance meanings):
 * a module or function handed on is flagged where it is handed on, so carrying its plain meanings
 * (and every name's own) through parameters, fields and unpacking only multiplied meanings (and cost).
 */
export function instancesOf(value: SyntaxNode): SyntaxNode {
  return { type: INSTANCES_OF, field: null, named: true, missing: false, start: value.start, end: value.end, line: value.line, column: value.column, children: [value] };
}

/**
 * Whether a name is a class by the naming conventions of the libraries the guard meets (`Path`,
 * `QFile`, `vtkDirectory`, `ctkDICOMDatabase`, `qSlicerIO`; not `os`, `system` or `O_RDONLY`). A class
 * handed on as a value flows like an object (round 16): calling it where it arrives makes its
 * instances, as `def f(P): P(a).rename(b)` then `f(pathlib.Path)` does, and the instance's denied
 * methods (`**.Path.rename`) must still be seen. Modules and functions do not flow: they are flagged
 * where they are handed on.
 */
export function isClassName(segments: readonly string[]): boolean {
  const last = segments[segments.length - 1]!;
  return CLASS_NAME.test(last);
}
// Capitalised, or a library's lower-case prefix before one (vtkDirectory, ctkDICOMDatabase, qSlicerIO); not camelCase functions (getNode).
const CLASS_NAME = /^(?:vtk|ctk|itk|q)?[A-Z](?=.*[a-z])/;

/** `functools.partial(f, …)` (or a bare `partial`): calling its result calls f, so it may stand for f (round 16). */
export function isPartial(segments: readonly string[]): boolean {
  const last = segments[segments.length - 1];
  return last === 'partial' && (segments.length === 1 || (segments.length === 2 && segments[0] === 'functools'));
}

/** Builtins whose result may be (an item of) one of their positional arguments. */
export const PASS_THROUGH_BUILTINS: ReadonlySet<string> = new Set([
  'next', 'iter', 'sorted', 'reversed', 'list', 'tuple', 'set', 'frozenset', 'min', 'max', 'filter', 'enumerate', 'zip', 'type',
  // map(f, xs): what f returns (a function of the code resolves to its returns, a lambda to its body)
  'map',
]);

/** Builtins whose results are plain values (numbers, strings, lists, iterators): as a flowed object's name (`len.x`) they name nothing. */
export const PLAIN_RESULT_BUILTINS: ReadonlySet<string> = new Set([
  ...PASS_THROUGH_BUILTINS, 'len', 'str', 'int', 'float', 'bool', 'bytes', 'dict', 'range', 'sum', 'abs', 'round', 'repr', 'format', 'print', 'isinstance', 'hasattr', 'any', 'all', 'ord', 'chr', 'hex', 'id', 'hash',
]);

/** Builtins that call their first argument with items of the others. */
export const CALLING_BUILTINS: ReadonlySet<string> = new Set(['map', 'filter']);

/** pathlib members whose value is a string (or strings): `Path(p).name.replace('_', ' ')` is str.replace. */
export const PATH_STRING_ATTRIBUTES: ReadonlySet<string> = new Set(['name', 'stem', 'suffix', 'suffixes', 'anchor', 'drive', 'root', 'parts']);
/** pathlib methods that return a string. */
export const PATH_STRING_METHODS: ReadonlySet<string> = new Set(['as_posix', 'as_uri', 'read_text', 'read_bytes']);

/** Whether a name rooted at pathlib reaches a string through `member` (an attribute, or a method once called). */
export function pathStringMember(segments: readonly string[], member: string, called: boolean): boolean {
  return segments[0] === 'pathlib' && segments.length > 1 && (called ? PATH_STRING_METHODS : PATH_STRING_ATTRIBUTES).has(member);
}

/** A function's parameters: positional ones in order, and every one by name. */
interface Parameters {
  positional: SyntaxNode[];
  named: Map<string, SyntaxNode>;
}

function parametersOf(fn: SyntaxNode, text: (node: SyntaxNode) => string): Parameters | undefined {
  const list = child(fn, 'parameters');
  if (!list) return undefined;
  const positional: SyntaxNode[] = [];
  const named = new Map<string, SyntaxNode>();
  let keywordOnly = false;
  for (const parameter of namedChildren(list)) {
    let name: SyntaxNode | undefined;
    if (parameter.type === 'identifier') name = parameter;
    else if (parameter.type === 'default_parameter' || parameter.type === 'typed_default_parameter') name = child(parameter, 'name');
    else if (parameter.type === 'typed_parameter') name = namedChildren(parameter).find((c) => c.type === 'identifier' && c.field !== 'type');
    else if (parameter.type === 'list_splat_pattern' || parameter.type === 'keyword_separator') keywordOnly = true;
    if (!name || name.type !== 'identifier') continue;
    if (!keywordOnly) positional.push(name);
    named.set(text(name), name);
  }
  return { positional, named };
}

/** What bindValueFlow needs from an analyser's walk (any order: it sorts by place in the source). */
export interface FlowSites {
  /** `def` nodes, and every lambda (named or not: their defaults bind their parameters). */
  functions: readonly SyntaxNode[];
  /** `class` nodes: calling one calls its `__init__`. */
  classes: readonly SyntaxNode[];
  /** `name = lambda …: …` as [name, lambda]. */
  lambdas: ReadonlyArray<readonly [SyntaxNode, SyntaxNode]>;
  /** Calls whose function is a name or an attribute. */
  calls: readonly SyntaxNode[];
  /** [def, value] for every `return value` and `yield value` directly in a def (not in a nested def or lambda). */
  returns: ReadonlyArray<readonly [SyntaxNode, SyntaxNode]>;
}

/**
 * Binds, as assignments would (`bind(target, value)`):
 * - a function's name to what it returns or yields (`def two(): return Path(a), Path(b)` makes
 *   `two()` a path), and a lambda's name to its body;
 * - each parameter of a function or lambda to its default value;
 * - each function's parameters to what its call sites pass: every positional and keyword argument of
 *   a call whose name is a function or named lambda of the code (by its last segment: `obj.mv(a)` may
 *   be the method `mv`, skipping `self`/`cls`), and for `map(f, xs)` / `filter(f, xs)` with a
 *   function's name or a lambda as `f`, its parameters to the iterables.
 * In source order, so every analyser binds in the same order. Returns the names of the functions and
 * lambdas: a method call `obj.get(x)` may return what the code's `get` returns.
 */
export function bindValueFlow(
  sites: FlowSites,
  text: (node: SyntaxNode) => string,
  bind: (target: SyntaxNode, value: SyntaxNode) => void,
  /** Whether the whole source is ASCII (then a name's length is its identifier's): only a shortcut, never a different result. */
  ascii = false,
): ReadonlySet<string> {
  const byName = new Map<string, SyntaxNode[]>();
  const named: Array<readonly [SyntaxNode, SyntaxNode]> = [];
  for (const fn of sites.functions) {
    const name = child(fn, 'name');
    if (name) named.push([name, fn]);
  }
  named.push(...sites.lambdas);
  named.sort((a, b) => a[0].start - b[0].start);
  for (const [name, fn] of named) {
    const key = text(name);
    const list = byName.get(key) ?? [];
    list.push(fn);
    byName.set(key, list);
  }
  // `Job(p)` calls Job.__init__(self, p).
  const initsByClass = new Map<string, SyntaxNode[]>();
  for (const cls of [...sites.classes].sort((a, b) => a.start - b.start)) {
    const name = child(cls, 'name');
    const body = child(cls, 'body');
    if (!name || !body) continue;
    for (const statement of namedChildren(body)) {
      const def = statement.type === 'decorated_definition' ? child(statement, 'definition') : statement;
      const defName = def?.type === 'function_definition' ? child(def, 'name') : undefined;
      if (!def || !defName || text(defName) !== '__init__') continue;
      const list = initsByClass.get(text(name)) ?? [];
      list.push(def);
      initsByClass.set(text(name), list);
    }
  }
  for (const [def, value] of [...sites.returns].sort((a, b) => a[1].start - b[1].start)) {
    const name = child(def, 'name');
    if (name) bind(name, value);
  }
  for (const [name, lambda] of sites.lambdas) {
    const body = child(lambda, 'body');
    if (body) bind(name, body);
  }
  // A parameter may hold its default (`def f(p=Path(a))`, `def g(P=pathlib.Path)`, `(lambda p=Path(a): …)()`: round 16).
  for (const fn of [...sites.functions].sort((a, b) => a.start - b.start)) {
    const list = child(fn, 'parameters');
    if (!list) continue;
    for (const parameter of namedChildren(list)) {
      if (parameter.type !== 'default_parameter' && parameter.type !== 'typed_default_parameter') continue;
      const name = child(parameter, 'name');
      const value = child(parameter, 'value');
      if (name?.type === 'identifier' && value) bind(name, value);
    }
  }
  const bindArguments = (fn: SyntaxNode, args: SyntaxNode[], method: boolean) => {
    const parameters = parametersOf(fn, text);
    if (!parameters) return;
    const first = parameters.positional[0];
    const offset = method && first !== undefined && (text(first) === 'self' || text(first) === 'cls') ? 1 : 0;
    let position = offset;
    for (const arg of args) {
      if (arg.type === 'keyword_argument') {
        const name = child(arg, 'name');
        const value = child(arg, 'value');
        const parameter = name ? parameters.named.get(text(name)) : undefined;
        if (parameter && value) bind(parameter, value);
      } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') {
        // `f(*xs)`, `f(**kw)`: any parameter from here on may get an item of xs or kw.
        const inner = namedChildren(arg)[0];
        if (inner) for (const parameter of arg.type === 'list_splat' ? parameters.positional.slice(position) : [...parameters.named.values()]) bind(parameter, inner);
      } else {
        const parameter = parameters.positional[position++];
        if (parameter) bind(parameter, arg);
      }
    }
  };
  // Only the calls that bind anything are sorted (most scripts define no function and call map on none).
  const relevant: Array<{ call: SyntaxNode; fn: SyntaxNode; key: string }> = [];
  const anyDefined = byName.size > 0 || initsByClass.size > 0;
  // In ASCII source a name is read (sliced) only if its length is one a defined name, map or filter has (NFKC may change the length of anything else).
  const lengths = new Set<number>([3, 6]);
  for (const key of [...byName.keys(), ...initsByClass.keys()]) lengths.add(key.length);
  for (const call of sites.calls) {
    const fn = child(call, 'function');
    // With no function or class in the code, only map(…)/filter(…) bind anything: other calls' names are not read.
    if (!fn || (!anyDefined && fn.type !== 'identifier')) continue;
    const name = fn.type === 'identifier' ? fn : fn.type === 'attribute' ? child(fn, 'attribute') : undefined;
    if (!name || (ascii && !lengths.has(name.end - name.start))) continue;
    const key = text(name);
    if (byName.has(key) || initsByClass.has(key) || (fn.type === 'identifier' && CALLING_BUILTINS.has(key))) relevant.push({ call, fn, key });
  }
  relevant.sort((a, b) => a.call.start - b.call.start);
  for (const { call, fn, key } of relevant) {
    const argList = child(call, 'arguments');
    if (!argList || argList.type !== 'argument_list') continue;
    const args = namedChildren(argList).filter((c) => c.type !== 'comment');
    for (const def of byName.get(key) ?? []) bindArguments(def, args, fn.type === 'attribute');
    for (const init of initsByClass.get(key) ?? []) bindArguments(init, args, true);
    if (fn.type === 'identifier' && CALLING_BUILTINS.has(key) && args.length > 1) {
      const callee = args[0]!;
      const targets = callee.type === 'lambda' ? [callee] : callee.type === 'identifier' ? (byName.get(text(callee)) ?? []) : [];
      for (const target of targets) bindArguments(target, args.slice(1), false);
    }
  }
  return new Set(byName.keys());
}

/** The `return`/`yield` values directly in a def's body (not in a nested def, lambda or class): for the references' walks. */
export function returnValues(def: SyntaxNode): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const body = child(def, 'body');
  const stack = body ? [body] : [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'function_definition' || node.type === 'lambda' || node.type === 'class_definition') continue;
    if (node.type === 'return_statement' || node.type === 'yield') {
      const value = returnedValue(node);
      if (value) found.push(value);
    }
    for (const c of node.children) stack.push(c);
  }
  return found;
}

/** The value of a `return` or `yield` node (`yield from xs`: xs), if it has one. */
export function returnedValue(node: SyntaxNode): SyntaxNode | undefined {
  return namedChildren(node).find((c) => c.type !== 'comment');
}

