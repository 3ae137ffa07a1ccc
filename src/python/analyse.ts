/**
 * What a piece of Python does, read from its syntax tree: the modules it imports, the dotted names
 * it reaches (calls and references alike, with import aliases and simple assignments resolved),
 * and every construct that escapes static analysis. Pure: a tree in, a list of uses out.
 *
 * Name binding is flow- and scope-insensitive on purpose: every binding of a name anywhere in the
 * code counts everywhere, and every name may also still hold what it held before the code ran (the
 * interpreter's namespace can outlive one call). That over-approximates, which is the safe side:
 * a use can only gain candidate meanings, never lose one.
 */
import { ATTRIBUTE_BUILTINS, ESCAPE_BUILTINS, ESCAPE_NAMES, ESCAPE_VALUES, INTERNAL_ATTRIBUTES, SAFE_DUNDER_ATTRIBUTES, SAFE_DUNDER_NAMES, TRANSPARENT_ROOTS, valueEscape, WRITE_ESCAPES } from './escapes.js';
import { compilePattern, denyPatternMatches, normalizeIdentifier, patternMatches, publicSegments } from './names.js';
import { child, namedChildren, PYTHON2_ONLY, type SyntaxNode } from './syntax-tree.js';
import { FORWARDER_SEGMENTS, forwardsCall, keywordSwitchOn, switchedEscape } from './switched-escapes.js';
import { CODE_GIVEN, CODE_METHODS, COMPUTED_MODULE, computedModuleEscapes, DIR_RENAMERS, dirRenamerArguments, FILE_REMOVER, MODULE_GETTERS, noArguments, PATH_MOVERS, runsCodeGiven, pathMoverArguments, receiverMayBePath, slicerModuleAttribute } from './call-shapes.js';
import { notPython3 } from './python3-syntax.js';
import { dottedName, extendName, nameFrom, names, type DottedName } from './dotted-name.js';
import { bindValueFlow, INSTANCES_OF, instancesOf, PLAIN_RESULT_BUILTINS, PASS_THROUGH_BUILTINS, PATH_STRING_ATTRIBUTES, PATH_STRING_METHODS, pathStringMember, returnedValue, isClassName, isPartial } from './value-flow.js';

/** Where a resolved name's first segment comes from. */
export type Origin = 'import' | 'free';

export interface Position {
  line: number;
  column: number;
}

export type CodeUse =
  | (Position & { kind: 'import'; name: string; segments: string[] })
  | (Position & {
      kind: 'name';
      name: string;
      segments: string[];
      origin: Origin;
      /** Used as a value: assigned, passed, returned, bound by `import … as` or `from … import` (not called or reached into). */
      value: boolean;
      /** The receiver is an object a call returned (`Path(p).unlink`): its methods, not the thing itself. */
      instance: boolean;
    })
  | (Position & { kind: 'escape'; name: string; reason: string });

export type CodeAnalysis = { parsed: true; uses: CodeUse[] } | ({ parsed: false; message: string } & Position);

/** An unknown receiver, shown as `?` in names: `x[0].unlink` is `?.unlink`. */
export const UNKNOWN = '?';

/** What call-shapes.ts's rules name: a pathlib path's methods, and Slicer's modules by their attribute names. */
const PATHLIB_PATH = dottedName(dottedName(names.root, 'pathlib'), 'Path');
const SLICER_MODULES = dottedName(dottedName(names.root, 'slicer'), 'modules');

/**
 * One candidate meaning of an expression. Interned: there is one Ref per (name, origin, instance),
 * so sets of meanings compare by identity (refOf) and nothing is allocated to extend or compare one.
 */
export interface Ref {
  readonly name: DottedName;
  /** name.segments: shared, never to be changed. */
  readonly segments: readonly string[];
  readonly origin: Origin;
  readonly instance: boolean;
}

function refOf(name: DottedName, origin: Origin, instance: boolean): Ref {
  let ref: Ref | undefined;
  if (origin === 'import') {
    if (instance) {
      ref = name.importInstanceRef as Ref | undefined;
      if (ref === undefined) name.importInstanceRef = ref = { name, segments: name.segments, origin, instance };
    } else {
      ref = name.importRef as Ref | undefined;
      if (ref === undefined) name.importRef = ref = { name, segments: name.segments, origin, instance };
    }
  } else if (instance) {
    ref = name.freeInstanceRef as Ref | undefined;
    if (ref === undefined) name.freeInstanceRef = ref = { name, segments: name.segments, origin, instance };
  } else {
    ref = name.freeRef as Ref | undefined;
    if (ref === undefined) name.freeRef = ref = { name, segments: name.segments, origin, instance };
  }
  return ref;
}

/** More candidate meanings than this for one expression is treated as an attempt to hide one. */
const MAX_REFS = 256;
/** Longer names are stored as an unknown receiver and their last two segments (see widen). */
const MAX_STORED_SEGMENTS = 5;
const MAX_ALIAS_ROUNDS = 256;
/**
 * Code nested deeper than this (in the walk's recursion) is reported as nested too deeply, wherever
 * it runs: a fixed bound, where the JavaScript stack left to the caller used to decide. CPython's
 * own parser gives up at 200 nested brackets and between 2,000 and 3,000 nested operators.
 */
const MAX_DEPTH = 2000;

class TooComplex extends Error {}

const ESCAPE_PATTERNS = ESCAPE_NAMES.map(([text, reason]) => ({ pattern: compilePattern(text), reason, builtin: ESCAPE_BUILTINS.has(text) }));

type EscapePattern = (typeof ESCAPE_PATTERNS)[number];

// Names written under any object (`**.*.executable`) are looked up by their last segment: every attribute
// written is checked, and a pattern led by ** costs a scan of the chain (round 18).
const ANY_OBJECT = '**.*.';
const WRITE_ESCAPE_PATTERNS = [...WRITE_ESCAPES.keys()].filter((name) => !name.startsWith(ANY_OBJECT)).map((name) => [compilePattern(name), name] as const);
const WRITE_ESCAPES_BY_LAST: ReadonlyMap<string, string> = new Map([...WRITE_ESCAPES.keys()].filter((name) => name.startsWith(ANY_OBJECT) && !name.slice(ANY_OBJECT.length).includes('.')).map((name) => [name.slice(ANY_OBJECT.length), name]));

/** The escapes a name matches, memoised on the interned name: the same names recur in every script. */
function escapesOf(name: DottedName, origin: Origin): EscapePattern[] {
  let found = (origin === 'free' ? name.freeEscapes : name.importedEscapes) as EscapePattern[] | undefined;
  if (!found) {
    const segments = name.segments;
    // A module-like escape (`code`, `pickle`) needs an import behind it: a local `code = …` is not the module.
    // Dotted escapes count anywhere in a chain: `os.sys.modules` reaches sys.modules.
    found = ESCAPE_PATTERNS.filter(
      (e) =>
        (e.builtin || origin !== 'free' || e.pattern.segments.length > 1) &&
        // A free `_exec` is the code's own (undefined) name, not the builtin: private names count from two segments on.
        (e.builtin && segments.length === 1 ? patternMatches(e.pattern, segments) : denyPatternMatches(e.pattern, segments)),
    );
    if (origin === 'free') name.freeEscapes = found;
    else name.importedEscapes = found;
  }
  return found;
}

/** The escapes an imported module's name matches (rooted patterns only), memoised likewise. */
function importEscapesOf(name: DottedName): EscapePattern[] {
  let found = name.moduleEscapes as EscapePattern[] | undefined;
  if (!found) {
    const plain = publicSegments(name.segments);
    name.moduleEscapes = found = ESCAPE_PATTERNS.filter((e) => patternMatches(e.pattern, name.segments) || (plain !== name.segments && patternMatches(e.pattern, plain)));
  }
  return found;
}


export function analyse(root: SyntaxNode, source: string, Variant: typeof Analyser = Analyser): CodeAnalysis {
  const error = root.hasError === false ? undefined : firstError(root, source);
  if (error) return { parsed: false, line: error.line, column: error.column, message: error.message };
  // The table of interned names is shared by analyses (the same names recur) and bounded: it starts afresh between two analyses, never during one.
  names.trim();
  const analyser = new Variant(source);
  // One walk of the tree records the bindings and, in order, the steps that report uses; the steps
  // run once every alias is known. Code nested deeper than the walk's stack: the bindings are
  // collected again by a walk that needs no stack, and the steps recorded until then still run, as
  // before a single walk did (docs/dev/python-parsers.md).
  let tooDeep = false;
  try {
    analyser.visit(root);
    analyser.bindRecorded();
  } catch (caught) {
    if (!(caught instanceof RangeError)) throw caught;
    tooDeep = true;
    analyser.collect(root);
  }
  try {
    analyser.solveAliases();
    analyser.replay();
    if (tooDeep) throw new RangeError('nested too deeply');
  } catch (caught) {
    if (caught instanceof TooComplex || caught instanceof RangeError) {
      analyser.uses.push({ kind: 'escape', name: '(structure)', reason: caught instanceof TooComplex ? caught.message : 'nested too deeply to analyse', line: 1, column: 1 });
    } else throw caught;
  }
  return { parsed: true, uses: analyser.uses };
}

function firstError(root: SyntaxNode, source: string): (Position & { message: string }) | undefined {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'ERROR') return { line: node.line, column: node.column, message: 'invalid syntax' };
    if (node.missing) return { line: node.line, column: node.column, message: `missing ${JSON.stringify(node.type)}` };
    if (PYTHON2_ONLY.has(node.type)) return { line: node.line, column: node.column, message: `Python 2 syntax (${node.type.replace('_', ' ')})` };
    const notPython = notPython3(node, source);
    if (notPython !== undefined) return { line: node.line, column: node.column, message: notPython };
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return undefined;
}

/** Exported so the property tests can run a deliberately broken variant and prove they catch it. */
export class Analyser {
  readonly uses: CodeUse[] = [];
  /** Names bound by imports: `import os as o` binds o → os. */
  protected readonly imported = new Map<string, DottedName[]>();
  /** Names bound by assignment to an expression that may name something: `f = os.system`. */
  private readonly assigned = new Map<string, SyntaxNode[]>();
  /** Modules imported with `*`: any free name may be one of their members. */
  private readonly starModules: DottedName[] = [];
  /** Every assigned name's meanings, once solveAliases has run. */
  private aliases = new Map<string, Ref[]>();

  /** Whether the source is ASCII throughout: then every identifier is already in NFKC. */
  private readonly ascii: boolean;

  constructor(private readonly source: string) {
    this.ascii = isAscii(source);
  }

  private text(node: SyntaxNode): string {
    return this.source.slice(node.start, node.end);
  }

  private identifier(node: SyntaxNode): string {
    const text = this.source.slice(node.start, node.end);
    return this.ascii ? text : normalizeIdentifier(text);
  }

  // ── Pass 1: bindings ──────────────────────────────────────────────────────────────────────

  /** Binding constructs met by the walk, in the order it finished them (see bindRecorded). */
  private readonly bindingNodes: SyntaxNode[] = [];

  /** A binding construct the walk has finished (its parts walked): bound once the walk is over. */
  protected recordBinding(node: SyntaxNode): void {
    this.bindingNodes.push(node);
  }

  /**
   * Binds what the walk recorded, in the order of a walk that takes the last child first (the
   * reverse of the order the walk finished them): the order in which each name's meanings are
   * listed, and so the order of the uses reported, is that of the two-pass analyser this replaced.
   */
  bindRecorded(): void {
    const nodes = this.bindingNodes;
    for (let i = nodes.length - 1; i >= 0; i--) this.bind(nodes[i]!);
    this.functionNames = bindValueFlow(this.flow, (node) => this.identifier(node), (target, value) => this.bindTargets(target, instancesOf(value)), this.ascii);
  }

  /** The objects a display's items (or a dictionary's values) may be, without allocating for the usual literal items. */
  private flowingItems(node: SyntaxNode, pairs: boolean): Ref[] {
    const out: Ref[] = [];
    const children = node.children;
    for (let i = 0; i < children.length; i++) {
      let item: SyntaxNode | undefined = children[i]!;
      if (!item.named || item.type === 'comment' || LITERAL_ITEMS.has(item.type)) continue;
      if (pairs) {
        if (item.type !== 'pair') continue;
        item = child(item, 'value');
        if (!item || LITERAL_ITEMS.has(item.type)) continue;
      }
      const refs = this.resolve(item);
      for (let r = 0; r < refs.length; r++) if (this.flows(refs[r]!)) out.push(refs[r]!);
    }
    return cap(out);
  }

  /**
   * Whether a meaning is carried by value flow (value-flow.ts): objects only, and not an object named
   * by one of the code's own variables or an unknown receiver (`n.GetName` for a loop's `n`): those
   * name nothing a rooted pattern can match, and a `**.x` pattern still meets them where they are used;
   * nor a builtin's plain result (`len(x)`).
   * Without this, a loop over a comprehension's results grew names round after round.
   */
  private flows(ref: Ref): boolean {
    // Objects, and classes (round 16: called where they arrive, they make objects; value-flow.ts).
    if (!ref.instance && !(ref.name.classLike ??= isClassName(ref.segments))) return false;
    if (ref.origin !== 'free') return true;
    const root = ref.segments[0]!;
    return root !== UNKNOWN && !this.assigned.has(root) && !PLAIN_RESULT_BUILTINS.has(root);
  }

  /** Attributes the code assigns (`self.p = …`): their values are the meanings of `.p` (value-flow.ts). */
  private readonly fieldNames = new Set<string>();
  /** The code's functions and named lambdas, by name (value-flow.ts). */
  private functionNames: ReadonlySet<string> = new Set();

  /** Functions, named lambdas, calls and returns met by the walk: bound by value-flow.ts once it is over. */
  private readonly flow = {
    functions: [] as SyntaxNode[],
    classes: [] as SyntaxNode[],
    lambdas: [] as Array<readonly [SyntaxNode, SyntaxNode]>,
    calls: [] as SyntaxNode[],
    returns: [] as Array<readonly [SyntaxNode, SyntaxNode]>,
  };
  /** The def whose body the walk is in (for its returns). */
  private currentFunction: SyntaxNode | undefined = undefined;

  /** Every binding in the tree without a walk of the stack (for code nested too deeply for visit), in bindRecorded's order. */
  collect(root: SyntaxNode): void {
    this.imported.clear();
    this.assigned.clear();
    this.starModules.length = 0;
    this.bases.clear();
    const stack = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (BINDINGS.has(node.type)) {
        this.bind(node);
        if (node.type === 'import_statement' || node.type === 'import_from_statement') continue;
      }
      // Leaves bind nothing: every binding construct has children.
      const children = node.children;
      for (let i = 0; i < children.length; i++) {
        const c = children[i]!;
        if (c.children.length > 0) stack.push(c);
      }
    }
  }

  /** Bindings in a part of the tree that visit does not walk (a parameter's name): recorded as the walk would. */
  private bindingsOnly(node: SyntaxNode): void {
    const children = node.children;
    for (let i = 0; i < children.length; i++) if (children[i]!.children.length > 0) this.bindingsOnly(children[i]!);
    if (BINDINGS.has(node.type)) this.recordBinding(node);
  }

  private bind(node: SyntaxNode): void {
    switch (node.type) {
      case 'import_statement':
        for (const item of namedChildren(node)) this.bindImport(item, []);
        return;
      case 'import_from_statement': {
        const module = this.moduleOf(node);
        for (const item of namedChildren(node)) {
          if (item.field !== 'name') continue;
          this.bindImport(item, module);
        }
        if (node.children.some((c) => c.type === 'wildcard_import')) this.starModules.push(nameFrom(module));
        return;
      }
      case 'assignment': {
        const left = child(node, 'left');
        const right = child(node, 'right');
        if (left && right) this.bindTargets(left, right);
        if (left?.type === 'identifier' && right?.type === 'lambda') this.flow.lambdas.push([left, right]);
        return;
      }
      case 'named_expression': {
        const name = child(node, 'name');
        const value = child(node, 'value');
        if (name && value) this.bindTargets(name, value);
        return;
      }
      case 'for_statement':
      case 'for_in_clause': {
        const left = child(node, 'left');
        const right = child(node, 'right');
        // Each item of a literal list or tuple: `for m in (os, sys): m.system()`.
        if (left && right) for (const item of literalItems(right)) this.bindTargets(left, item);
        return;
      }
      case 'as_pattern': {
        const alias = child(node, 'alias');
        const value = namedChildren(node)[0];
        if (alias && value && value !== alias) this.bindTargets(alias, value);
        return;
      }
    }
  }

  /** `from a.b import …` → ['a', 'b']; relative imports keep their dots as a first segment (`.`, `..`). */
  private moduleOf(node: SyntaxNode): string[] {
    const module = child(node, 'module_name');
    if (!module) return [];
    if (module.type === 'relative_import') {
      const dots = module.children.find((c) => c.type === 'import_prefix');
      const rest = module.children.find((c) => c.type === 'dotted_name');
      return [dots ? this.text(dots) : '.', ...(rest ? this.dotted(rest) : [])];
    }
    return this.dotted(module);
  }

  private dotted(node: SyntaxNode): string[] {
    return node.children.filter((c) => c.type === 'identifier').map((c) => this.identifier(c));
  }

  private bindImport(item: SyntaxNode, module: string[]): void {
    if (item.type === 'aliased_import') {
      const name = child(item, 'name');
      const alias = child(item, 'alias');
      if (name && alias) this.addImport(this.identifier(alias), [...module, ...this.dotted(name)]);
    } else if (item.type === 'dotted_name') {
      const segments = this.dotted(item);
      // `import a.b.c` binds `a`; `from m import a` binds `a` to m.a.
      if (module.length === 0) this.addImport(segments[0]!, [segments[0]!]);
      else this.addImport(segments[segments.length - 1]!, [...module, ...segments]);
    }
  }

  private addImport(name: string, target: string[]): void {
    const list = this.imported.get(name) ?? [];
    list.push(normalizeRoot(nameFrom(target)));
    this.imported.set(name, list);
  }

  private bindTargets(target: SyntaxNode, value: SyntaxNode): void {
    if (target.type === 'attribute') {
      // `self.p = Path(x)`: any object's attribute `p` may hold it (value-flow.ts), as the name `.p`.
      const attribute = child(target, 'attribute');
      if (!attribute) return;
      const field = this.identifier(attribute);
      this.fieldNames.add(field);
      const list = this.assigned.get(`.${field}`) ?? [];
      list.push(instancesOf(value));
      this.assigned.set(`.${field}`, list);
      return;
    }
    if (target.type === 'identifier') {
      const name = this.identifier(target);
      const list = this.assigned.get(name) ?? [];
      list.push(value);
      this.assigned.set(name, list);
      return;
    }
    if (PATTERN_TARGETS.has(target.type)) {
      const targets = namedChildren(target).filter((c) => c.type !== 'comment');
      const values = literalItems(value);
      // `a, b = os, sys` pairs up; anything else (`a, b = f()`) binds nothing we can name.
      if (targets.length === 1) this.bindTargets(targets[0]!, value);
      else if (values.length === targets.length && values !== NOT_LITERAL) targets.forEach((t, i) => this.bindTargets(t, values[i]!));
      // `a, b = f()`, `for i, p in enumerate(paths)`: each may be (an item of) the value.
      else for (const t of targets) this.bindTargets(t, instancesOf(value));
    }
  }

  // ── Resolution ────────────────────────────────────────────────────────────────────────────

  /** Every dotted name an expression may stand for; empty when it names nothing (a literal, an arithmetic result). */
  private resolve(node: SyntaxNode): Ref[] {
    switch (node.type) {
      case 'identifier':
        return this.resolveName(this.identifier(node));
      case 'attribute':
        return this.chainRefs(node, false);
      case 'call': {
        const fn = child(node, 'function');
        if (!fn) return [];
        const constant = this.constantAttribute(node);
        if (constant) return constant;
        const base = this.resolve(fn);
        // The method's name is read only when it can matter: the code defines functions, or a pathlib name may call a string-valued method (`p.read_text()` is a str).
        let method: string | undefined;
        if (fn.type === 'attribute' && (this.functionNames.size > 0 || base.some((ref) => ref.segments[0] === 'pathlib'))) {
          const called = child(fn, 'attribute');
          if (called) method = this.identifier(called);
        }
        const refs: Ref[] = new Array(base.length);
        // Whether the method returns a string on a path is a question of its name first: asked once, not for every meaning.
        const pathMethod = method !== undefined && PATH_STRING_METHODS.has(method);
        for (let r = 0; r < base.length; r++) {
          const ref = base[r]!;
          refs[r] = pathMethod && pathStringMember(ref.segments, method!, true) ? this.stringRef() : refOf(ref.name, ref.origin, true);
        }
        // `obj.get(x)`: what a method of the code by that name returns.
        if (method !== undefined && this.functionNames.has(method)) for (const ref of this.resolveName(method)) if (this.flows(ref)) refs.push(ref);
        // `next(it)`, `sorted(paths)`, `max(a, b)`: the result may be (an item of) an argument. (Their names are at most 9 letters: longer ASCII text is none of them.)
        if (fn.type === 'identifier' && (!this.ascii || fn.end - fn.start <= 9) && this.passesThrough(this.identifier(fn))) {
          for (const arg of positionalArguments(child(node, 'arguments'))) for (const ref of this.resolve(arg)) if (this.flows(ref)) refs.push(ref);
        }
        // `functools.partial(pathlib.Path)`: calling it makes what its first argument makes.
        if (base.some((ref) => isPartial(ref.segments))) {
          const first = positionalArguments(child(node, 'arguments'))[0];
          if (first) for (const ref of this.resolve(first)) if (this.flows(ref)) refs.push(ref);
        }
        return cap(refs);
      }
      case 'subscript': {
        // `files[0]`, `e.args[0]`: an item of what the container held.
        const value = child(node, 'value');
        return value ? this.resolve(value).filter((ref) => this.flows(ref)) : [];
      }
      case 'dictionary':
        // `{'ct': Path(a)}`: what its values hold (`d['ct']`, `d.values()`).
        return this.flowingItems(node, true);
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
        // `[Path(a), Path(b)]`, `return a, b`: what its items hold (a subscript or a loop over it takes one).
        return this.flowingItems(node, false);
      case 'parenthesized_expression': {
        const inner = namedChildren(node).filter((c) => c.type !== 'comment');
        return inner.length === 1 ? this.resolve(inner[0]!) : [];
      }
      case 'binary_operator': {
        // `path / "name"` keeps the left operand's type: pathlib paths (and NumPy arrays) stay what they were.
        const operator = node.children.find((c) => c.field === 'operator');
        const left = child(node, 'left');
        if (!operator || !left || this.text(operator) !== '/') return [];
        return this.resolve(left).map((ref) => refOf(ref.name, ref.origin, true));
      }
      case 'conditional_expression':
      case 'boolean_operator':
        // `os if x else sys`, `a or os`: either side.
        return cap(namedChildren(node).flatMap((c) => this.resolve(c)));
      case 'named_expression': {
        const value = child(node, 'value');
        return value ? this.resolve(value) : [];
      }
      case 'lambda':
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension': {
        // A lambda: what it returns when called (`map(lambda p: p, paths)`); a comprehension: what its
        // items are (`[p for p in paths][0]`, a dictionary's values). value-flow.ts.
        const body = child(node, 'body');
        if (!body) return [];
        const value = body.type === 'pair' ? child(body, 'value') : body;
        return value ? this.resolve(value).filter((ref) => this.flows(ref)) : [];
      }
      case INSTANCES_OF:
        return this.resolve(node.children[0]!).filter((ref) => this.flows(ref));
      default:
        return [];
    }
  }

  /**
   * What every assigned name may stand for, as a fixed point: `a = os.system; b = a` gives b both
   * its own name and os.system, whatever the order and however the assignments loop. Computed once
   * per analysis, so each use is a lookup (resolving assignments afresh at every use is exponential
   * in the length of an alias chain).
   */
  solveAliases(): void {
    // Rounds over every assignment until nothing changes, in a fixed order (the order of each name's
    // meanings is the order of its uses in the result). A value is resolved again only if a name it
    // looked up gained a meaning since it was last resolved: resolving is pure, so the skipped
    // resolution would have found only meanings already held, and every round, every meaning and its
    // place are those of resolving everything every round. Most values (literals, calls of names that
    // are never assigned) are resolved once.
    const table = new Map<string, Ref[]>();
    const entries: Alias[] = [];
    const byName = this.aliasEntries;
    for (const [name, values] of this.assigned) {
      const base = this.baseRefs(name).slice();
      table.set(name, base);
      const assigned: AssignedValue[] = new Array(values.length);
      for (let v = 0; v < values.length; v++) assigned[v] = { node: values[v]!, resolvedAt: -1, deps: NO_DEPS };
      const entry: Alias = { name, refs: base, seen: undefined, changedAt: 0, values: assigned };
      entries.push(entry);
      byName.set(name, entry);
    }
    this.aliases = table;
    const deps: Alias[] = [];
    for (let round = 0, changed = true; changed; round++) {
      if (round > MAX_ALIAS_ROUNDS) throw new TooComplex('an alias chain too long to follow');
      changed = false;
      for (let e = 0; e < entries.length; e++) {
        const entry = entries[e]!;
        const refs = entry.refs;
        for (let v = 0; v < entry.values.length; v++) {
          const value = entry.values[v]!;
          if (value.resolvedAt >= 0 && unchangedSince(value)) continue;
          value.resolvedAt = this.clock;
          deps.length = 0;
          this.lookups = deps;
          let resolved: Ref[];
          try {
            resolved = this.resolve(value.node);
          } finally {
            this.lookups = undefined;
          }
          value.deps = deps.length === 0 ? NO_DEPS : deps.slice();
          for (let r = 0; r < resolved.length; r++) {
            const ref = widen(resolved[r]!);
            if (holds(entry, ref)) continue;
            refs.push(ref);
            entry.seen?.add(ref);
            entry.changedAt = ++this.clock;
            changed = true;
          }
        }
        if (refs.length > MAX_REFS) throw new TooComplex(`"${entry.name}" has more than ${MAX_REFS} possible meanings`);
      }
    }
  }

  /** solveAliases's clock: it ticks whenever an assigned name gains a meaning. */
  private clock = 0;
  /** While solveAliases resolves a value: the assigned names it looks up. */
  private lookups: Alias[] | undefined = undefined;
  private readonly aliasEntries = new Map<string, Alias>();

  protected resolveName(name: string): Ref[] {
    if (this.lookups !== undefined) {
      const alias = this.aliasEntries.get(name);
      if (alias !== undefined) this.lookups.push(alias);
    }
    // One lookup once a name has been met: a name never assigned keeps its base meanings in the same table.
    let refs = this.aliases.get(name);
    if (refs === undefined) this.aliases.set(name, (refs = this.baseRefs(name)));
    return refs;
  }

  /** A name's meanings before assignments: itself (what it held before the code ran), its imports, a star import's member. */
  private baseRefs(name: string): Ref[] {
    let refs = this.bases.get(name);
    if (!refs) this.bases.set(name, (refs = this.computeBaseRefs(name)));
    return refs;
  }

  private readonly bases = new Map<string, Ref[]>();

  private computeBaseRefs(name: string): Ref[] {
    // An attribute's values (`.p`) are only what the code assigns to it.
    if (name.charCodeAt(0) === 46) return [];
    const refs: Ref[] = [refOf(dottedName(names.root, name), 'free', false)];
    for (const target of this.imported.get(name) ?? []) refs.push(refOf(target, 'import', false));
    for (const module of this.starModules) refs.push(refOf(normalizeRoot(dottedName(module, name)), 'import', false));
    if (refs.length === 1) return refs;
    if (refs.length > 16) return [...new Set(refs)];
    // Without duplicates, first occurrences in order (as the Set keeps them): a scan while the list is short.
    const distinct: Ref[] = [];
    for (let i = 0; i < refs.length; i++) if (!distinct.includes(refs[i]!)) distinct.push(refs[i]!);
    return distinct;
  }

  /** `getattr(os, "system")` is `os.system`; a computed name is reported by visitCall. */
  private constantAttribute(call: SyntaxNode): Ref[] | undefined {
    const fn = child(call, 'function');
    if (!fn || fn.type !== 'identifier' || this.identifier(fn) !== 'getattr') return undefined;
    const args = positionalArguments(child(call, 'arguments'));
    const name = args[1] ? this.constantString(args[1]) : undefined;
    if (!args[0] || name === undefined) return undefined;
    const attribute = normalizeIdentifier(name);
    const base = this.resolve(args[0]);
    if (base.length === 0) return [refOf(dottedName(dottedName(names.root, UNKNOWN), attribute), 'free', true)];
    return base.map((ref) => refOf(dottedName(ref.name, attribute), ref.origin, ref.instance));
  }

  /** The value of a plain string literal; undefined for f-strings, bytes, escapes or concatenations (treated as computed). */
  private constantString(node: SyntaxNode): string | undefined {
    if (node.type !== 'string') return undefined;
    let value = '';
    for (const part of node.children) {
      if (part.type === 'string_start') {
        if (/[fFbBtT]/.test(this.text(part))) return undefined;
      } else if (part.type === 'string_content') {
        if (part.children.length > 0) return undefined;
        value += this.text(part);
      } else if (part.type !== 'string_end') return undefined;
    }
    return value;
  }

  // ── The walk: bindings, and the steps that report uses ────────────────────────────────────

  /** What the walk found to report, in order; run by replay() once the aliases are known. */
  private readonly steps: Step[] = [];

  /**
   * `escaping`: the value of this expression may be kept or handed to other code (assigned, passed,
   * returned, put in a container), as opposed to read in place (`"X" in os.environ`, `if os.path:`).
   * Only an escaping value can hide what is later done with it.
   */
  visit(node: SyntaxNode, escaping = false): void {
    // Kept small (the common cases first, the rest in visitConstruct): it recurses as deep as the code nests.
    if (++this.depth > MAX_DEPTH) throw new RangeError('nested too deeply');
    const type = node.type;
    if (type === 'identifier' || type === 'attribute') {
      this.reference(node, escaping);
    } else if (type === 'call') {
      this.visitCall(node);
    } else {
      // One lookup for what the three sets say of the type (see VISIT_KINDS).
      const kind = VISIT_KINDS.get(type);
      if (kind === CONSTRUCT) this.visitConstruct(node, escaping);
      else {
        // Returns and yields for the def whose body this is (value-flow.ts); a lambda's are its own.
        let lambdaIn: SyntaxNode | undefined;
        if (type === 'lambda') this.flow.functions.push(node);
        if (kind === ESCAPING && this.currentFunction !== undefined) {
          if (type === 'return_statement' || type === 'yield') {
            const value = returnedValue(node);
            if (value) this.flow.returns.push([this.currentFunction, value]);
          } else if (type === 'lambda') {
            lambdaIn = this.currentFunction;
            this.currentFunction = undefined;
          }
        }
        const childrenEscape = kind === ESCAPING || (escaping && kind === TRANSPARENT);
        // A leaf other than a name (punctuation, a keyword, a number) uses nothing: not visited.
        const children = node.children;
        for (let i = 0; i < children.length; i++) {
          const c = children[i]!;
          if (c.children.length > 0 || c.type === 'identifier') this.visit(c, childrenEscape);
        }
        if (lambdaIn !== undefined) this.currentFunction = lambdaIn;
      }
    }
    this.depth--;
  }

  /** How deep visit() has recursed. */
  private depth = 0;

  /** The constructs visit() does not walk as plain expressions. */
  private visitConstruct(node: SyntaxNode, escaping: boolean): void {
    switch (node.type) {
      case 'import_statement':
      case 'import_from_statement':
        this.steps.push({ op: IMPORT, node, value: false, refs: NO_REFS, of: undefined });
        this.recordBinding(node);
        return;
      case 'future_import_statement':
        return;
      case 'dotted_name':
        this.steps.push({ op: DOTTED_NAME, node, value: false, refs: NO_REFS, of: undefined });
        return;
      case 'keyword_argument': {
        const value = child(node, 'value');
        if (value) this.visit(value, true);
        return;
      }
      case 'function_definition':
      case 'class_definition':
      {
        // Returns count for the def whose body they are in (not its decorators' or defaults').
        const outer = this.currentFunction;
        const body = node.type === 'function_definition' ? node : undefined;
        if (body) this.flow.functions.push(node);
        else this.flow.classes.push(node);
        for (const c of node.children) {
          if (c.field === 'name') {
            if (c.children.length > 0) this.bindingsOnly(c);
            continue;
          }
          this.currentFunction = c.field === 'body' ? body : outer;
          this.visit(c);
        }
        this.currentFunction = outer;
        return;
      }
      case 'parameters':
      case 'lambda_parameters':
        return this.visitParameters(node);
      case 'assignment':
      case 'augmented_assignment': {
        for (const c of node.children) if (c.field === 'left') this.visitTarget(c);
        else this.visit(c, c.field === 'right');
        if (node.type === 'assignment') this.recordBinding(node);
        return;
      }
      case 'for_statement':
      case 'for_in_clause':
        for (const c of node.children) if (c.field === 'left') this.visitTarget(c);
        else this.visit(c);
        this.recordBinding(node);
        return;
      case 'named_expression': {
        for (const c of node.children) if (c.field === 'value') this.visit(c, true);
        else if (c.children.length > 0) this.bindingsOnly(c);
        this.recordBinding(node);
        return;
      }
      case 'as_pattern':
        for (const c of node.children) if (c.field === 'alias') this.visitTarget(c);
        else this.visit(c, true);
        this.recordBinding(node);
        return;
      case 'delete_statement':
        for (const c of node.children) if (c.named) this.visitTarget(c);
        else if (c.children.length > 0) this.bindingsOnly(c);
        return;
      case 'global_statement':
      case 'nonlocal_statement':
        this.bindingsOnly(node);
        return;
      case 'conditional_expression': {
        // `a if test else b`: the branches are the value, the test is only read.
        let i = 0;
        for (const c of node.children) if (c.named) this.visit(c, escaping && i++ !== 1);
        for (const c of node.children) if (!c.named) this.visit(c);
        return;
      }
    }
  }

  /** Runs the steps the walk recorded: the uses, in the order of the walk. */
  replay(): void {
    const steps = this.steps;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      switch (step.op) {
        case REFERENCE:
          step.refs = this.referenceUses(step.node, step.value);
          break;
        case CALL:
          this.callUses(step.node, step.of!.refs);
          break;
        case GETATTR_CALL: {
          // Its node is the outer call; the getattr call is its function (every Step keeps one shape).
          const refs = this.constantAttribute(calledExpression(child(step.node, 'function')!));
          if (refs) this.callUses(step.node, refs);
          break;
        }
        case IMPORT:
          this.visitImport(step.node);
          break;
        case DOTTED_NAME:
          this.visitDottedName(step.node);
          break;
        case TARGET_SUBSCRIPT:
          this.writeEscape(child(step.node, 'value')!, step.node);
          break;
        case WRITE_ATTRIBUTE:
          this.writeEscape(step.node, step.node);
          break;
      }
    }
  }

  private visitImport(node: SyntaxNode): void {
    const module = node.type === 'import_from_statement' ? this.moduleOf(node) : [];
    const at = child(node, 'module_name') ?? node;
    const moduleName = nameFrom(module);
    if (module.length > 0) this.importUse(moduleName, at);
    const star = node.children.find((c) => c.type === 'wildcard_import');
    if (star) {
      // Every member of the module is now a bare name: hand the module around as a whole.
      this.nameUse(refOf(normalizeRoot(moduleName), 'import', false), star, true);
      return;
    }
    for (const item of node.children) {
      if (item.field !== 'name') continue;
      const nameNode = item.type === 'aliased_import' ? child(item, 'name') : item;
      const alias = item.type === 'aliased_import' ? child(item, 'alias') : undefined;
      if (!nameNode) continue;
      const imported = normalizeRoot(extendName(moduleName, this.dotted(nameNode)));
      const segments = imported.segments;
      this.importUse(imported, nameNode);
      // `import a.b` binds `a` under its own name: later code names it in full, nothing is hidden.
      // `import a.b as x` and `from a import b` bind another name to a.b: a value use.
      const bound = alias ? this.identifier(alias) : module.length === 0 ? segments[0]! : this.dotted(nameNode).at(-1)!;
      const canonical = (module.length === 0 && !alias) || (segments.length === 1 && segments[0] === bound);
      this.nameUse(refOf(imported, 'import', false), nameNode, !canonical);
    }
  }

  private importUse(imported: DottedName, at: SyntaxNode): void {
    const name = imported.text;
    this.uses.push({ kind: 'import', name, segments: imported.segments as string[], line: at.line, column: at.column });
    for (const escape of importEscapesOf(imported)) this.uses.push({ kind: 'escape', name, reason: escape.reason, line: at.line, column: at.column });
  }

  /** A name or attribute chain in an expression: its uses (a step), then the code its base may hold. */
  private reference(node: SyntaxNode, value: boolean): Step {
    const step: Step = { op: REFERENCE, node, value, refs: NO_REFS, of: undefined };
    this.steps.push(step);
    // The chain's base may hold more code: `f(x).y` visits the call, `d[k].y` the subscript.
    let base: SyntaxNode | undefined = node;
    while (base && base.type === 'attribute') base = child(base, 'object');
    if (base && base !== node && base.type !== 'identifier') this.visit(base);
    return step;
  }

  /** One use per candidate meaning of the whole chain, after the escapes of its segments. */
  private referenceUses(node: SyntaxNode, value: boolean): Ref[] {
    let refs: Ref[] | undefined;
    if (node.type === 'attribute') {
      refs = this.chainRefs(node, true);
    } else if (node.type === 'identifier') {
      const name = this.identifier(node);
      // Escaping builtins such as __import__ get their own reason from nameUse.
      if (isDunder(name) && !SAFE_DUNDER_NAMES.has(name) && !ESCAPE_BUILTINS.has(name)) this.escape(name, 'reaches interpreter internals (dunder name)', node);
      refs = this.resolveName(name);
    } else refs = this.resolveChain(node, true);
    for (let i = 0; i < refs.length; i++) this.nameUse(refs[i]!, node, value);
    // `p.rename` itself, not the result of a call of it (`df.rename(columns=…)` is named by its function too).
    if (value && node.type === 'attribute') this.moverValueUses(node, refs);
    return refs;
  }

  /**
   * A path mover taken as a value (`functools.partial(p.rename, t)`, `map(p.rename, targets)`, a thread's
   * target): where it is called, and with what, is out of sight, so on an object the analysis cannot name it
   * counts as the path's method (call-shapes.ts). Protected for tests of value flow alone.
   */
  protected moverValueUses(node: SyntaxNode, refs: Ref[]): void {
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i]!;
      const method = ref.segments[ref.segments.length - 1]!;
      if (PATH_MOVERS.has(method) && receiverMayBePath(ref, refs)) {
        this.nameUse(refOf(dottedName(PATHLIB_PATH, method), 'import', true), node, false);
        break;
      }
    }
  }

  /** What chains of names stand for, by their text (see chainRefs). */
  private readonly chains = new Map<string, Chain>();
  /** Set by resolveChain: whether the chain it resolved was names all the way down, and whether any of them is reported as an escape. */
  private chainOfNames = false;
  private chainEscapes = false;

  /**
   * What a chain of names (`slicer.util.getNode`) stands for depends on its text and on the meanings
   * of the names it looks up, nothing else: the same chain recurs through a script, in the assigned
   * values solveAliases resolves (in every round that resolves them) and in the references replay
   * reports. So each text is resolved once, and again only when a name it looked up has gained a
   * meaning since (solveAliases's clock: the check it makes for a whole assigned value, made for a
   * chain). A hit while solveAliases resolves a value counts the chain's names as the value's own
   * lookups. `escapes`: report the chain's dunder and internal names (replay): a chain that has any
   * is resolved afresh, so they are reported where they are.
   */
  private chainRefs(node: SyntaxNode, escapes: boolean): Ref[] {
    // Only chains of names are kept: another base (`f(x).y`) is resolved without hashing its text, which can be long.
    let base: SyntaxNode | undefined = node;
    while (base !== undefined && base.type === 'attribute') base = child(base, 'object');
    if (base === undefined || base.type !== 'identifier') return this.resolveChain(node, escapes);
    const text = this.source.slice(node.start, node.end);
    const lookups = this.lookups;
    const cached = this.chains.get(text);
    if (cached !== undefined && !(escapes && cached.escapes) && this.chainCurrent(cached)) {
      if (lookups !== undefined) for (let i = 0; i < cached.deps.length; i++) lookups.push(cached.deps[i]!);
      return cached.refs;
    }
    const from = lookups === undefined ? 0 : lookups.length;
    const refs = this.resolveChain(node, escapes);
    if (this.chainOfNames) {
      const deps = lookups === undefined || lookups.length === from ? NO_DEPS : lookups.slice(from);
      this.chains.set(text, { refs, at: this.clock, deps, escapes: this.chainEscapes });
    }
    return refs;
  }

  /** The segments of the chains being resolved, outermost first (null: a level that resolves to nothing); shared by nested chains. */
  private readonly segmentStack: Array<string | null> = [];

  /**
   * What a name or attribute chain may stand for, in one descent of the chain: what resolve() gives
   * level by level, from the base outwards. `escapes`: also report the dunder and
   * interpreter-internal names anywhere in the chain, outermost first, before anything else.
   */
  private resolveChain(node: SyntaxNode, escapes: boolean): Ref[] {
    const segments = this.segmentStack;
    const start = segments.length;
    let current = node;
    let broken = false;
    let ofNames = false;
    let escaping = false;
    let base: Ref[] = NO_REFS;
    for (;;) {
      if (current.type === 'attribute') {
        // Both fields in one pass over the children.
        let attribute: SyntaxNode | undefined;
        let object: SyntaxNode | undefined;
        const children = current.children;
        for (let i = 0; i < children.length; i++) {
          const c = children[i]!;
          if (c.field === 'attribute') attribute ??= c;
          else if (c.field === 'object') object ??= c;
        }
        let name: string | null = null;
        if (attribute) {
          name = this.identifier(attribute);
          if (isDunder(name) && !SAFE_DUNDER_ATTRIBUTES.has(name)) {
            escaping = true;
            if (escapes) this.escape(`.${name}`, 'walks interpreter internals (dunder attribute)', attribute);
          } else if (INTERNAL_ATTRIBUTES.has(name)) {
            escaping = true;
            if (escapes) this.escape(`.${name}`, 'reaches frames, globals or code objects', attribute);
          }
        }
        // An attribute missing its object or its name resolves to nothing (whatever lies below it).
        if (!object || !attribute) {
          broken = true;
          segments.push(null);
        } else segments.push(name);
        if (!object) break;
        current = object;
      } else if (current.type === 'identifier') {
        const name = this.identifier(current);
        // Escaping builtins such as __import__ get their own reason from nameUse.
        if (isDunder(name) && !SAFE_DUNDER_NAMES.has(name) && !ESCAPE_BUILTINS.has(name)) {
          escaping = true;
          if (escapes) this.escape(name, 'reaches interpreter internals (dunder name)', current);
        }
        if (!broken) base = this.resolveName(name);
        ofNames = !broken;
        break;
      } else {
        if (!broken) base = this.resolve(current);
        break;
      }
    }
    let refs = base;
    for (let i = segments.length - 1; i >= start; i--) {
      const name = segments[i]!;
      if (name === null) refs = NO_REFS;
      else if (refs.length === 0) refs = [refOf(dottedName(dottedName(names.root, UNKNOWN), name), 'free', true)];
      else {
        const extended: Ref[] = new Array(refs.length);
        // `Path(p).name` is a string: `.replace` on it is str.replace (value-flow.ts).
        const stringMember = PATH_STRING_ATTRIBUTES.has(name);
        for (let r = 0; r < refs.length; r++) {
          const ref = refs[r]!;
          extended[r] = stringMember && pathStringMember(ref.segments, name, false) ? this.stringRef() : refOf(dottedName(ref.name, name), ref.origin, ref.instance);
        }
        refs = extended;
      }
      // `self.p.rename(…)` after `self.p = Path(x)`: what the code assigned to any object's `p`.
      if (name !== null && this.fieldNames.size > 0 && this.fieldNames.has(name)) refs = cap([...refs, ...this.resolveName(`.${name}`)]);
    }
    while (segments.length > start) segments.pop();
    // Set last: resolving a base that is not a name resolves chains of its own.
    this.chainOfNames = ofNames;
    this.chainEscapes = escaping;
    return refs;
  }

  /** Whether no name a chain looked up has gained a meaning since it was resolved; a hook for the differential test's broken variant. */
  protected chainCurrent(chain: Chain): boolean {
    return current(chain);
  }

  /** Whether a builtin's result may be (an item of) its arguments (value-flow.ts); a hook for the property tests' broken variant. */
  protected passesThrough(builtin: string): boolean {
    return PASS_THROUGH_BUILTINS.has(builtin);
  }

  /** A string made by the code (a pathlib path's name): `str`, an instance. */
  private stringRef(): Ref {
    return refOf(dottedName(names.root, 'str'), 'free', true);
  }

  private visitDottedName(node: SyntaxNode): void {
    // Outside imports (value patterns in `match`): `case os.system:` reads os.system.
    const parts = node.children.filter((c) => c.type === 'identifier');
    if (parts.length === 0) return;
    const first = parts[0]!;
    for (const part of parts) {
      const name = this.identifier(part);
      if (isDunder(name) && !SAFE_DUNDER_NAMES.has(name) && !SAFE_DUNDER_ATTRIBUTES.has(name)) this.escape(name, 'walks interpreter internals (dunder name)', part);
    }
    const rest = parts.slice(1).map((p) => this.identifier(p));
    for (const ref of this.resolveName(this.identifier(first))) {
      this.nameUse(refOf(extendName(ref.name, rest), ref.origin, ref.instance), node, true);
    }
  }

  private visitCall(node: SyntaxNode): void {
    // Both fields in one pass over the children (child() twice read them twice).
    let fn: SyntaxNode | undefined;
    let args: SyntaxNode | undefined;
    const children = node.children;
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      if (c.field === 'function') fn ??= c;
      else if (c.field === 'arguments') args ??= c;
    }
    // `(np.load)(f, allow_pickle=True)` is a call of np.load: the rules that read a call's arguments apply to it too.
    if (fn && fn.type === 'parenthesized_expression') fn = calledExpression(fn);
    if (fn && (fn.type === 'identifier' || fn.type === 'attribute')) {
      this.flow.calls.push(node);
      const of = this.reference(fn, false);
      this.steps.push({ op: CALL, node, value: false, refs: NO_REFS, of });
    } else if (fn) {
      this.visit(fn);
      // getattr(x, 'name')(…) calls x.name: the same rules, once the constant attribute is resolved.
      if (fn.type === 'call' && child(fn, 'function')?.type === 'identifier') this.steps.push({ op: GETATTR_CALL, node, value: false, refs: NO_REFS, of: undefined });
    }
    if (args) this.visit(args);
  }

  /** What the call's function resolved to (its reference step's meanings): getattr and switched loaders. */
  private callUses(node: SyntaxNode, called: Ref[]): void {
    // One look at each meaning's last segment decides whether the rules of call-shapes.ts have anything to read
    // (most calls: no), and f.__call__(…) is f(…).
    let shaped = false;
    let viaCall = false;
    let forwards = false;
    for (let i = 0; i < called.length; i++) {
      const segments = called[i]!.segments;
      const last = segments[segments.length - 1]!;
      if (last === '__call__' && segments.length > 1) viaCall = true;
      else if (SHAPE_SEGMENTS.has(last)) shaped = true;
      else if (FORWARDER_SEGMENTS.has(last) && forwardsCall(segments)) forwards = true;
    }
    const refs = viaCall ? called.map((ref) => (endsWithCall(ref) ? refOf(nameFrom(ref.segments.slice(0, -1)), ref.origin, ref.instance) : ref)) : called;
    if (viaCall) {
      shaped = refs.some((ref) => SHAPE_SEGMENTS.has(ref.segments[ref.segments.length - 1]!));
      forwards = refs.some((ref) => forwardsCall(ref.segments));
    }
    const builtin = refs.find((ref) => ref.segments.length === 1 && ATTRIBUTE_BUILTINS.has(ref.segments[0]!));
    if (builtin) this.visitAttributeBuiltin(node, builtin.segments[0]!);
    const args = child(node, 'arguments');
    for (const ref of refs) {
      if (SLOT_CALLERS.has(ref.segments[ref.segments.length - 1]!)) {
        this.slotUses(args);
        break;
      }
    }
    let switched = false;
    for (const ref of refs) {
      const reason = switchedEscape(ref.segments, args, this.source);
      if (reason) {
        this.escape(ref.segments.join('.'), reason, node);
        switched = true;
        break;
      }
    }
    if (forwards && !switched) this.forwardedSwitches(node, refs, args);
    if (shaped) this.shapeUses(node, refs, args);
  }

  /**
   * `functools.partial(np.load, allow_pickle=True)`, `operator.call(np.load, f, allow_pickle=True)`: the switch read
   * as np.load's; a partial object called later, by its keywords alone (round 18).
   */
  private forwardedSwitches(node: SyntaxNode, refs: Ref[], args: SyntaxNode | undefined): void {
    let made = false;
    let called = false;
    for (const ref of refs) if (forwardsCall(ref.segments)) (ref.instance ? (called = true) : (made = true));
    const first = made ? positionalArguments(args)[0] : undefined;
    if (first) {
      for (const ref of this.resolve(first)) {
        const reason = switchedEscape(ref.segments, args, this.source, 1);
        if (reason) return this.escape(ref.segments.join('.'), reason, node);
        // partial(partial(np.load, f), allow_pickle=True): a partial object wrapped again.
        if (ref.instance && forwardsCall(ref.segments)) called = true;
      }
    }
    const reason = called ? keywordSwitchOn(args, this.source) : undefined;
    if (reason) this.escape('functools.partial', reason, node);
  }

  /** Calls read by their arguments' shape (call-shapes.ts): a path mover on an unnamed object, a Slicer module by its name. Protected for tests of value flow alone. */
  protected shapeUses(node: SyntaxNode, refs: Ref[], args: SyntaxNode | undefined): void {
    // The arguments first: most rename/replace calls are str.replace's two (receiverMayBePath is linear in the meanings).
    let moverArguments: boolean | undefined;
    for (const ref of refs) {
      const method = ref.segments[ref.segments.length - 1]!;
      if (!PATH_MOVERS.has(method)) continue;
      if (!(moverArguments ??= pathMoverArguments(args, this.source))) break;
      if (receiverMayBePath(ref, refs)) {
        this.nameUse(refOf(dottedName(PATHLIB_PATH, method), 'import', true), node, false);
        break;
      }
    }
    for (const ref of refs) {
      if (ref.segments[ref.segments.length - 1] !== FILE_REMOVER) continue;
      if (!noArguments(args)) break;
      if (receiverMayBePath(ref, refs)) {
        this.nameUse(refOf(dottedName(QT_FILE, FILE_REMOVER), 'import', true), node, false);
        break;
      }
    }
    let renamerArguments: boolean | undefined;
    for (const ref of refs) {
      const method = ref.segments[ref.segments.length - 1]!;
      const owner = DIR_RENAMERS.get(method);
      if (!owner) continue;
      if (!(renamerArguments ??= dirRenamerArguments(args))) break;
      if (receiverMayBePath(ref, refs)) {
        this.nameUse(refOf(dottedName(dottedName(dottedName(names.root, owner[0]), owner[1]), method), 'import', true), node, false);
        break;
      }
    }
    for (const ref of refs) {
      if (runsCodeGiven(ref.segments, args)) {
        this.escape(ref.segments.join('.'), CODE_GIVEN, node);
        break;
      }
    }
    for (const ref of refs) {
      if (!MODULE_GETTERS.has(ref.segments[ref.segments.length - 1]!)) continue;
      const getter = ref.segments[ref.segments.length - 1]!;
      const first = positionalArguments(args)[0];
      const module = slicerModuleAttribute(first ? this.constantString(first) : undefined);
      if (module !== undefined) this.nameUse(refOf(dottedName(SLICER_MODULES, module), 'import', false), first!, false);
      else if (computedModuleEscapes(refs, first?.type)) this.escape(getter, COMPUTED_MODULE, node);
      break;
    }
  }

  /**
   * Qt's slots named in strings: `connect(sender, 'signal()', receiver, 'slot()')`, PythonQt's
   * `sender.connect('signal(QString)', receiver, 'slot(QString)')`, `QTimer.singleShot(ms, receiver, 'slot()')`.
   * A string that names a method, after the object it belongs to, reaches that method as `receiver.slot`
   * does (Slicer's extension manager installs and uninstalls through its slots).
   */
  private slotUses(args: SyntaxNode | undefined): void {
    const positional = positionalArguments(args);
    for (let i = 1; i < positional.length; i++) {
      const text = this.constantString(positional[i]!);
      const slot = text === undefined ? undefined : SLOT_SIGNATURE.exec(text)?.[1];
      if (slot === undefined) continue;
      const receiver = positional[i - 1]!;
      if (receiver.type === 'string') continue;
      const base = this.resolve(receiver);
      const refs = base.length === 0 ? [refOf(dottedName(names.root, UNKNOWN), 'free', true)] : base;
      const method = normalizeIdentifier(slot);
      for (const ref of refs) this.nameUse(refOf(dottedName(ref.name, method), ref.origin, ref.instance), positional[i]!, false);
    }
  }

  /** getattr/setattr/delattr: a constant name is an ordinary reference; a computed one escapes. */
  private visitAttributeBuiltin(call: SyntaxNode, builtin: string): void {
    const args = positionalArguments(child(call, 'arguments'));
    const nameArg = args[1];
    const name = nameArg ? this.constantString(nameArg) : undefined;
    if (name === undefined) {
      this.escape(builtin, 'with a computed attribute name', call);
      return;
    }
    const attribute = normalizeIdentifier(name);
    if (isDunder(attribute) && !SAFE_DUNDER_ATTRIBUTES.has(attribute)) this.escape(`.${attribute}`, 'walks interpreter internals (dunder attribute)', nameArg!);
    if (INTERNAL_ATTRIBUTES.has(attribute)) this.escape(`.${attribute}`, 'reaches frames, globals or code objects', nameArg!);
    const target = args[0];
    if (!target) return;
    const base = this.resolve(target);
    const refs = base.length === 0 ? [refOf(dottedName(names.root, UNKNOWN), 'free', true)] : base;
    for (const ref of refs) {
      const written = dottedName(ref.name, attribute);
      this.nameUse(refOf(written, ref.origin, ref.instance), call, true);
      // setattr(sys, 'pycache_prefix', …) and delattr write as `sys.pycache_prefix = …` does.
      if (builtin !== 'getattr') this.writeEscapeOf(written, call);
    }
  }

  private visitParameters(node: SyntaxNode): void {
    for (const parameter of node.children) {
      switch (parameter.type) {
        case 'default_parameter':
        case 'typed_default_parameter':
        case 'typed_parameter':
          for (const c of parameter.children) if (c.field === 'value' || c.field === 'type') this.visit(c, c.field === 'value');
          else if (c.children.length > 0) this.bindingsOnly(c);
          break;
        default:
          // Parameter names bind; they name nothing outside.
          if (parameter.children.length > 0) this.bindingsOnly(parameter);
          break;
      }
    }
  }

  /** Assignment and `del` targets: bare names bind; attributes and subscripts are references (and may write os.environ or sys.path). */
  private visitTarget(node: SyntaxNode): void {
    switch (node.type) {
      case 'identifier':
        return;
      case 'subscript': {
        const value = child(node, 'value');
        if (value) {
          this.steps.push({ op: TARGET_SUBSCRIPT, node, value: false, refs: NO_REFS, of: undefined });
          this.visit(value);
        }
        // tree-sitter reads `match [os]:` + a case block as an annotated assignment to `match[os]`, where
        // CPython sees a match statement binding its case names to the subject: the subject escapes.
        const matchSubject = value?.type === 'identifier' && this.identifier(value) === 'match';
        for (const c of node.children) if (c.field === 'subscript') this.visit(c, matchSubject);
        else if (c !== value && c.children.length > 0) this.bindingsOnly(c);
        return;
      }
      case 'attribute':
        this.steps.push({ op: WRITE_ATTRIBUTE, node, value: false, refs: NO_REFS, of: undefined });
        this.reference(node, false);
        return;
      default:
        for (const c of node.children) {
          if (c.named) this.visitTarget(c);
          else if (c.children.length > 0) this.bindingsOnly(c);
        }
        if (BINDINGS.has(node.type)) this.recordBinding(node);
    }
  }

  /** `target` written (an item of it, or the whole of it): an escape when it names os.environ or sys.path, wherever in a chain. */
  private writeEscape(target: SyntaxNode, at: SyntaxNode): void {
    for (const ref of this.resolve(target)) this.writeEscapeOf(ref.name, at);
  }

  private writeEscapeOf(written: DottedName, at: SyntaxNode): void {
    const name = normalizeRoot(written);
    for (const [pattern, escape] of WRITE_ESCAPE_PATTERNS) if (denyPatternMatches(pattern, name.segments)) this.escape(escape, WRITE_ESCAPES.get(escape)!, at);
    const anyObject = name.segments.length > 1 ? WRITE_ESCAPES_BY_LAST.get(name.segments[name.segments.length - 1]!) : undefined;
    if (anyObject) this.escape(anyObject, WRITE_ESCAPES.get(anyObject)!, at);
  }

  private nameUse(ref: Ref, at: SyntaxNode, value: boolean): void {
    const normalized = normalizeRoot(ref.name);
    const name = normalized.text;
    this.uses.push({ kind: 'name', name, segments: normalized.segments as string[], origin: ref.origin, value, instance: ref.instance, line: at.line, column: at.column });
    for (const escape of escapesOf(normalized, ref.origin)) this.uses.push({ kind: 'escape', name, reason: escape.reason, line: at.line, column: at.column });
    if (value && !ref.instance) {
      for (const [valueName, reason] of ESCAPE_VALUES) if (name === valueName) this.uses.push({ kind: 'escape', name, reason, line: at.line, column: at.column });
      if (ATTRIBUTE_BUILTINS.has(name)) this.uses.push({ kind: 'escape', name, reason: `${name} handed around as a value`, line: at.line, column: at.column });
      // An import binds the name (`from DICOMLib import DICOMCommand`), later called: not handed on yet.
      const handed = at.type === 'dotted_name' ? undefined : valueEscape(normalized.segments);
      if (handed) this.uses.push({ kind: 'escape', name, reason: handed, line: at.line, column: at.column });
    }
  }

  private escape(name: string, reason: string, at: SyntaxNode): void {
    this.uses.push({ kind: 'escape', name, reason, line: at.line, column: at.column });
  }
}

/** What a step of the walk reports when replayed. */
const REFERENCE = 0;
const CALL = 1;
const IMPORT = 2;
const DOTTED_NAME = 3;
const TARGET_SUBSCRIPT = 4;
const WRITE_ATTRIBUTE = 5;
const GETATTR_CALL = 6;

interface Step {
  op: number;
  node: SyntaxNode;
  /** REFERENCE: the chain is used as a value. */
  value: boolean;
  /** REFERENCE: its meanings, once replayed. */
  refs: Ref[];
  /** CALL: the reference step of its function. */
  of: Step | undefined;
}

/** The expression inside parentheses, however many: `((f))` is `f`. */
function calledExpression(node: SyntaxNode): SyntaxNode {
  let inner = node;
  while (inner.type === 'parenthesized_expression') {
    const named = namedChildren(inner).filter((c) => c.type !== 'comment');
    if (named.length !== 1) break;
    inner = named[0]!;
  }
  return inner;
}

/** The last segments call-shapes.ts's rules read: any other call skips them. */
const SHAPE_SEGMENTS: ReadonlySet<string> = new Set([...PATH_MOVERS, ...DIR_RENAMERS.keys(), FILE_REMOVER, ...CODE_METHODS, ...MODULE_GETTERS]);
const QT_FILE = dottedName(dottedName(names.root, 'qt'), 'QFile');

function endsWithCall(ref: Ref): boolean {
  return ref.segments.length > 1 && ref.segments[ref.segments.length - 1] === '__call__';
}

const NO_REFS: Ref[] = [];

/**
 * Whether every character is ASCII: then its UTF-8 form has one byte a character (any other
 * character, a lone surrogate too, takes two or more). Node's byte count scans 10 KiB in some 3 µs,
 * a regular expression for a non-ASCII character in 13-17 µs (docs/dev/python-parsers.md).
 */
function isAscii(source: string): boolean {
  return Buffer.byteLength(source, 'utf8') === source.length;
}

/** Items that resolve to nothing, skipped before resolve() is asked (a long list of numbers or strings is common). */
const LITERAL_ITEMS: ReadonlySet<string> = new Set(['string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none', 'unary_operator']);

/** The node types visitConstruct handles. */
const CONSTRUCTS: ReadonlySet<string> = new Set([
  'import_statement', 'import_from_statement', 'future_import_statement', 'dotted_name', 'keyword_argument', 'function_definition',
  'class_definition', 'parameters', 'lambda_parameters', 'assignment', 'augmented_assignment', 'for_statement', 'for_in_clause',
  'named_expression', 'as_pattern', 'delete_statement', 'global_statement', 'nonlocal_statement', 'conditional_expression',
]);

/** The constructs that bind names (see Analyser.bind). */
const BINDINGS: ReadonlySet<string> = new Set(['import_statement', 'import_from_statement', 'assignment', 'named_expression', 'for_statement', 'for_in_clause', 'as_pattern']);

/** Expressions whose parts are kept or handed on: call arguments, containers, returns, yields, lambda bodies, defaults. */
const ESCAPING_PARENTS = new Set([
  'argument_list', 'list', 'tuple', 'set', 'dictionary', 'pair', 'expression_list', 'list_splat', 'dictionary_splat',
  'return_statement', 'yield', 'lambda', 'list_comprehension', 'set_comprehension', 'dictionary_comprehension',
  'generator_expression', 'decorator', 'with_item', 'raise_statement', 'type_alias_statement',
  // `match os:` binds its case patterns' names (`case m:`) to the subject, which the alias table does not follow.
  'match_statement',
]);

/** Expressions that pass their part's value through: `(os)`, `a or os`, `await x`, `*x`. */
const TRANSPARENT_PARENTS = new Set(['parenthesized_expression', 'boolean_operator', 'await', 'not_operator']);

const CONSTRUCT = 1;
const ESCAPING = 2;
const TRANSPARENT = 3;

/** What visit() does with a node type, in one lookup: CONSTRUCTS first, then ESCAPING_PARENTS, then TRANSPARENT_PARENTS. */
const VISIT_KINDS: ReadonlyMap<string, number> = (() => {
  const kinds = new Map<string, number>();
  for (const type of TRANSPARENT_PARENTS) kinds.set(type, TRANSPARENT);
  for (const type of ESCAPING_PARENTS) kinds.set(type, ESCAPING);
  for (const type of CONSTRUCTS) kinds.set(type, CONSTRUCT);
  return kinds;
})();

const NOT_LITERAL: SyntaxNode[] = [];

/** Targets that unpack: `a, b = …`, `[a, b] = …`, `(a) = …`. */
const PATTERN_TARGETS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'as_pattern_target', 'parenthesized_expression']);

/** Literals whose items literalItems lists. */
const LITERAL_SEQUENCES = new Set(['tuple', 'list', 'expression_list', 'set']);

/** The items of a tuple/list/parenthesised literal, or the expression itself as the one item. */
function literalItems(node: SyntaxNode): SyntaxNode[] {
  if (LITERAL_SEQUENCES.has(node.type)) return namedChildren(node).filter((c) => c.type !== 'comment');
  if (node.type === 'parenthesized_expression') {
    const inner = namedChildren(node).filter((c) => c.type !== 'comment');
    return inner.length === 1 ? literalItems(inner[0]!) : NOT_LITERAL;
  }
  return [node];
}

/** Calls that take a slot's name as a string (Qt's SLOT() macro puts a 1 before it, SIGNAL() a 2). */
const SLOT_CALLERS: ReadonlySet<string> = new Set(['connect', 'singleShot']);
const SLOT_SIGNATURE = /^\s*[12]?\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(/;

function positionalArguments(args: SyntaxNode | undefined): SyntaxNode[] {
  if (!args) return [];
  return namedChildren(args).filter((c) => c.type !== 'keyword_argument' && c.type !== 'comment');
}

function isDunder(name: string): boolean {
  return name.length > 4 && name.startsWith('__') && name.endsWith('__');
}

/** `builtins.exec` is `exec`, `__main__.slicer` is `slicer`. */
function normalizeRoot(name: DottedName): DottedName {
  if (name.normalized === undefined) {
    const segments = name.segments;
    name.normalized = segments.length > 1 && TRANSPARENT_ROOTS.has(segments[0]!) ? nameFrom(segments.slice(1)) : name;
  }
  return name.normalized;
}

/**
 * A name that keeps growing with each round (`node = node.GetParentNode()` in a loop) would never
 * reach a fixed point: past MAX_STORED_SEGMENTS it becomes `?.GetParentNode.GetParentNode`-style,
 * an unknown receiver with its last two segments. Rooted patterns are shorter than that and have
 * already met the name's shorter forms, which stay; `**.x` patterns still see the last segments.
 */
function widen(ref: Ref): Ref {
  return ref.segments.length <= MAX_STORED_SEGMENTS ? ref : refOf(nameFrom([UNKNOWN, ...ref.segments.slice(-2)]), 'free', true);
}

/** An assigned name while solveAliases runs: its meanings so far and the values assigned to it. */
interface Alias {
  name: string;
  refs: Ref[];
  /** refs as a set, once there are more than a few (see holds). */
  seen: Set<Ref> | undefined;
  /** The clock when refs last grew. */
  changedAt: number;
  values: AssignedValue[];
}

interface AssignedValue {
  node: SyntaxNode;
  /** The clock when last resolved; -1 before. */
  resolvedAt: number;
  /** The assigned names its resolution looked up. */
  deps: readonly Alias[];
}

const NO_DEPS: readonly Alias[] = [];

/** A chain resolved once (see chainRefs). */
interface Chain {
  refs: Ref[];
  /** The clock when resolved. */
  at: number;
  /** The assigned names its resolution looked up. */
  deps: readonly Alias[];
  /** Whether any of its names is reported as an escape. */
  escapes: boolean;
}

/** Whether no name a chain looked up has gained a meaning since it was resolved. */
function current(chain: Chain): boolean {
  const deps = chain.deps;
  for (let i = 0; i < deps.length; i++) if (deps[i]!.changedAt > chain.at) return false;
  return true;
}

function unchangedSince(value: AssignedValue): boolean {
  const deps = value.deps;
  for (let i = 0; i < deps.length; i++) if (deps[i]!.changedAt > value.resolvedAt) return false;
  return true;
}

/** Whether an alias already holds a meaning: a scan while it holds few (most hold one to three), a set past that. */
function holds(alias: Alias, ref: Ref): boolean {
  if (alias.seen !== undefined) return alias.seen.has(ref);
  const refs = alias.refs;
  if (refs.length < 16) return refs.includes(ref);
  alias.seen = new Set(refs);
  return alias.seen.has(ref);
}

function cap(refs: Ref[]): Ref[] {
  if (refs.length > MAX_REFS) throw new TooComplex(`an expression has more than ${MAX_REFS} possible meanings`);
  return refs;
}

