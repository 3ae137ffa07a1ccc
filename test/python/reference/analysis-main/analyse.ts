/**
 * THE REFERENCE, not the product: the Python analysis (src/python/analyse.ts) as it was on main at 1b4d2ca, before it
 * was tuned to a single walk (issue 17, speed). Kept verbatim (only its imports of escapes.ts and
 * syntax-tree.ts point back at src/, so rule data stays shared) for
 * test/python/analysis-reference.test.ts, which checks that the tuned analysis reports exactly the
 * same uses and the same verdicts. Do not optimise these files; change them only together with a
 * deliberate change of what the analysis reports, and say so in the commit.
 */
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
import { ATTRIBUTE_BUILTINS, ESCAPE_BUILTINS, ESCAPE_NAMES, ESCAPE_VALUES, INTERNAL_ATTRIBUTES, SAFE_DUNDER_ATTRIBUTES, SAFE_DUNDER_NAMES, TRANSPARENT_ROOTS, valueEscape, WRITE_ESCAPES } from '../../../../src/python/escapes.js';
import { compilePattern, denyPatternMatches, normalizeIdentifier, patternMatches, publicSegments } from './names.js';
import { child, namedChildren, PYTHON2_ONLY, type SyntaxNode } from '../../../../src/python/syntax-tree.js';
import { notPython3 } from '../../../../src/python/python3-syntax.js';
import { switchedEscape } from './switched-escapes.js';
import { forwardsCall, keywordSwitchOn } from '../../../../src/python/switched-escapes.js';
import { CODE_GIVEN, COMPUTED_MODULE, computedModuleEscapes, DIR_RENAMERS, dirRenamerArguments, FILE_REMOVER, MODULE_GETTERS, noArguments, PATH_MOVERS, runsCodeGiven, pathMoverArguments, receiverMayBePath, slicerModuleAttribute } from '../../../../src/python/call-shapes.js';
import { dottedName, extendName, nameFrom, names, type DottedName } from './dotted-name.js';
import { bindValueFlow, INSTANCES_OF, instancesOf, PLAIN_RESULT_BUILTINS, PASS_THROUGH_BUILTINS, pathStringMember, returnValues, isClassName, isPartial } from '../../../../src/python/value-flow.js';

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
  const index = (origin === 'import' ? 2 : 0) + (instance ? 1 : 0);
  let ref = name.refs[index] as Ref | undefined;
  if (!ref) name.refs[index] = ref = { name, segments: name.segments, origin, instance };
  return ref;
}

/** More candidate meanings than this for one expression is treated as an attempt to hide one. */
const MAX_REFS = 256;
/** Longer names are stored as an unknown receiver and their last two segments (see widen). */
const MAX_STORED_SEGMENTS = 5;
const MAX_ALIAS_ROUNDS = 256;

class TooComplex extends Error {}

const ESCAPE_PATTERNS = ESCAPE_NAMES.map(([text, reason]) => ({ pattern: compilePattern(text), reason, builtin: ESCAPE_BUILTINS.has(text) }));

type EscapePattern = (typeof ESCAPE_PATTERNS)[number];

const WRITE_ESCAPE_PATTERNS = [...WRITE_ESCAPES.keys()].map((name) => [compilePattern(name), name] as const);

/** The escapes a name matches, memoised on the interned name: the same names recur in every script. */
function escapesOf(name: DottedName, origin: Origin): EscapePattern[] {
  const index = origin === 'free' ? 0 : 1;
  let found = name.escapes[index] as EscapePattern[] | undefined;
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
    name.escapes[index] = found;
  }
  return found;
}

/** The escapes an imported module's name matches (rooted patterns only), memoised likewise. */
function importEscapesOf(name: DottedName): EscapePattern[] {
  let found = name.escapes[2] as EscapePattern[] | undefined;
  if (!found) {
    const plain = publicSegments(name.segments);
    name.escapes[2] = found = ESCAPE_PATTERNS.filter((e) => patternMatches(e.pattern, name.segments) || (plain !== name.segments && patternMatches(e.pattern, plain)));
  }
  return found;
}


export function analyse(root: SyntaxNode, source: string, Variant: typeof Analyser = Analyser): CodeAnalysis {
  const error = root.hasError === false ? undefined : firstError(root, source);
  if (error) return { parsed: false, line: error.line, column: error.column, message: error.message };
  // The table of interned names is shared by analyses (the same names recur) and bounded: it starts afresh between two analyses, never during one.
  names.trim();
  const analyser = new Variant(source);
  try {
    analyser.collect(root);
    analyser.solveAliases();
    analyser.visit(root);
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
    // Round 16: what tree-sitter accepts and CPython 3 rejects (a deliberate change, shared with src/python/analyse.ts).
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

  constructor(private readonly source: string) {}

  private text(node: SyntaxNode): string {
    return this.source.slice(node.start, node.end);
  }

  private identifier(node: SyntaxNode): string {
    return normalizeIdentifier(this.text(node));
  }

  // ── Pass 1: bindings ──────────────────────────────────────────────────────────────────────

  /**
   * Whether a meaning is carried by value flow (value-flow.ts): objects only, and not an object named
   * by one of the code's own variables or an unknown receiver (`n.GetName` for a loop's `n`): those
   * name nothing a rooted pattern can match, and a `**.x` pattern still meets them where they are used;
   * nor a builtin's plain result (`len(x)`).
   * Without this, a loop over a comprehension's results grew names round after round.
   */
  private flows(ref: Ref): boolean {
    // Objects, and classes (round 16: called where they arrive, they make objects; value-flow.ts).
    if (!ref.instance && !isClassName(ref.segments)) return false;
    if (ref.origin !== 'free') return true;
    const root = ref.segments[0]!;
    return root !== UNKNOWN && !this.assigned.has(root) && !PLAIN_RESULT_BUILTINS.has(root);
  }

  /** Attributes the code assigns: their values are the meanings of `.p` (value-flow.ts). */
  private readonly fieldNames = new Set<string>();
  /** The code's functions and named lambdas, by name (value-flow.ts). */
  private functionNames: ReadonlySet<string> = new Set();

  collect(root: SyntaxNode): void {
    // Value flow (src/python/value-flow.ts, round 15): functions, named lambdas, calls and returns, bound after the rest.
    const flow = { functions: [] as SyntaxNode[], classes: [] as SyntaxNode[], lambdas: [] as Array<readonly [SyntaxNode, SyntaxNode]>, calls: [] as SyntaxNode[], returns: [] as Array<readonly [SyntaxNode, SyntaxNode]> };
    const stack = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === 'function_definition') {
        flow.functions.push(node);
        for (const value of returnValues(node)) flow.returns.push([node, value]);
      } else if (node.type === 'lambda') {
        // Round 16 (deliberate, as src/python/analyse.ts): a lambda's defaults bind its parameters.
        flow.functions.push(node);
      } else if (node.type === 'class_definition') {
        flow.classes.push(node);
      } else if (node.type === 'call') {
        const fn = child(node, 'function');
        if (fn && (fn.type === 'identifier' || fn.type === 'attribute')) flow.calls.push(node);
      }
      switch (node.type) {
        case 'import_statement':
          for (const item of namedChildren(node)) this.bindImport(item, []);
          continue;
        case 'import_from_statement': {
          const module = this.moduleOf(node);
          for (const item of namedChildren(node)) {
            if (item.field !== 'name') continue;
            this.bindImport(item, module);
          }
          if (node.children.some((c) => c.type === 'wildcard_import')) this.starModules.push(nameFrom(module));
          continue;
        }
        case 'assignment': {
          const left = child(node, 'left');
          const right = child(node, 'right');
          if (left && right) this.bindTargets(left, right);
          if (left?.type === 'identifier' && right?.type === 'lambda') flow.lambdas.push([left, right]);
          break;
        }
        case 'named_expression': {
          const name = child(node, 'name');
          const value = child(node, 'value');
          if (name && value) this.bindTargets(name, value);
          break;
        }
        case 'for_statement':
        case 'for_in_clause': {
          const left = child(node, 'left');
          const right = child(node, 'right');
          // Each item of a literal list or tuple: `for m in (os, sys): m.system()`.
          if (left && right) for (const item of literalItems(right)) this.bindTargets(left, item);
          break;
        }
        case 'as_pattern': {
          const alias = child(node, 'alias');
          const value = namedChildren(node)[0];
          if (alias && value && value !== alias) this.bindTargets(alias, value);
          break;
        }
      }
      const children = node.children;
      for (let i = 0; i < children.length; i++) stack.push(children[i]!);
    }
    this.functionNames = bindValueFlow(flow, (node) => this.identifier(node), (target, value) => this.bindTargets(target, instancesOf(value)));
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
      // `a, b = f()`: each may be (an item of) the value (value-flow.ts).
      else for (const t of targets) this.bindTargets(t, instancesOf(value));
    }
  }

  // ── Resolution ────────────────────────────────────────────────────────────────────────────

  /** Every dotted name an expression may stand for; empty when it names nothing (a literal, an arithmetic result). */
  private resolve(node: SyntaxNode): Ref[] {
    switch (node.type) {
      case 'identifier':
        return this.resolveName(this.identifier(node));
      case 'attribute': {
        const object = child(node, 'object');
        const attribute = child(node, 'attribute');
        if (!object || !attribute) return [];
        const name = this.identifier(attribute);
        const base = this.resolve(object);
        const refs = base.length === 0 ? [refOf(dottedName(dottedName(names.root, UNKNOWN), name), 'free', true)] : base.map((ref) => (pathStringMember(ref.segments, name, false) ? refOf(dottedName(names.root, 'str'), 'free', true) : refOf(dottedName(ref.name, name), ref.origin, ref.instance)));
        return this.fieldNames.has(name) ? cap([...refs, ...this.resolveName(`.${name}`)]) : refs;
      }
      case 'call': {
        const fn = child(node, 'function');
        if (!fn) return [];
        const constant = this.constantAttribute(node);
        if (constant) return constant;
        const called = fn.type === 'attribute' ? child(fn, 'attribute') : undefined;
        const method = called ? this.identifier(called) : undefined;
        const base = this.resolve(fn);
        const refs = base.map((ref) => (method !== undefined && pathStringMember(ref.segments, method, true) ? refOf(dottedName(names.root, 'str'), 'free', true) : refOf(ref.name, ref.origin, true)));
        // `obj.get(x)`: what a method of the code by that name returns.
        if (method !== undefined && this.functionNames.has(method)) for (const ref of this.resolveName(method)) if (this.flows(ref)) refs.push(ref);
        if (fn.type === 'identifier' && PASS_THROUGH_BUILTINS.has(this.identifier(fn))) {
          for (const arg of positionalArguments(child(node, 'arguments'))) for (const ref of this.resolve(arg)) if (this.flows(ref)) refs.push(ref);
        }
        // Round 16 (deliberate, as src/python/analyse.ts): functools.partial(cls) makes what cls makes.
        if (base.some((ref) => isPartial(ref.segments))) {
          const first = positionalArguments(child(node, 'arguments'))[0];
          if (first) for (const ref of this.resolve(first)) if (this.flows(ref)) refs.push(ref);
        }
        return cap(refs);
      }
      case 'subscript': {
        const value = child(node, 'value');
        return value ? this.resolve(value).filter((ref) => this.flows(ref)) : [];
      }
      case 'dictionary':
        return cap(namedChildren(node).flatMap((pair) => { const value = pair.type === 'pair' ? child(pair, 'value') : undefined; return value ? this.resolve(value).filter((ref) => this.flows(ref)) : []; }));
      case 'list':
      case 'tuple':
      case 'set':
      case 'expression_list':
        return cap(namedChildren(node).flatMap((c) => (c.type === 'comment' ? [] : this.resolve(c).filter((ref) => this.flows(ref)))));
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
    const table = new Map<string, Ref[]>();
    const keys = new Map<string, Set<Ref>>();
    for (const name of this.assigned.keys()) {
      const base = [...this.baseRefs(name)];
      table.set(name, base);
      keys.set(name, new Set(base));
    }
    this.aliases = table;
    for (let round = 0, changed = true; changed; round++) {
      if (round > MAX_ALIAS_ROUNDS) throw new TooComplex('an alias chain too long to follow');
      changed = false;
      for (const [name, values] of this.assigned) {
        const refs = table.get(name)!;
        const seen = keys.get(name)!;
        for (const value of values) {
          for (const resolved of this.resolve(value)) {
            const ref = widen(resolved);
            if (seen.has(ref)) continue;
            seen.add(ref);
            refs.push(ref);
            changed = true;
          }
        }
        if (refs.length > MAX_REFS) throw new TooComplex(`"${name}" has more than ${MAX_REFS} possible meanings`);
      }
    }
  }

  protected resolveName(name: string): Ref[] {
    return this.aliases.get(name) ?? this.baseRefs(name);
  }

  /** A name's meanings before assignments: itself (what it held before the code ran), its imports, a star import's member. */
  private baseRefs(name: string): Ref[] {
    let refs = this.bases.get(name);
    if (!refs) this.bases.set(name, (refs = this.computeBaseRefs(name)));
    return refs;
  }

  private readonly bases = new Map<string, Ref[]>();

  private computeBaseRefs(name: string): Ref[] {
    if (name.startsWith('.')) return [];
    const refs: Ref[] = [refOf(dottedName(names.root, name), 'free', false)];
    for (const target of this.imported.get(name) ?? []) refs.push(refOf(target, 'import', false));
    for (const module of this.starModules) refs.push(refOf(normalizeRoot(dottedName(module, name)), 'import', false));
    return [...new Set(refs)];
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

  // ── Pass 2: uses ──────────────────────────────────────────────────────────────────────────

  /**
   * `escaping`: the value of this expression may be kept or handed to other code (assigned, passed,
   * returned, put in a container), as opposed to read in place (`"X" in os.environ`, `if os.path:`).
   * Only an escaping value can hide what is later done with it.
   */
  visit(node: SyntaxNode, escaping = false): void {
    switch (node.type) {
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        return this.visitImport(node);
      case 'identifier':
      case 'attribute':
        this.reference(node, { value: escaping });
        return;
      case 'dotted_name':
        return this.visitDottedName(node);
      case 'call':
        return this.visitCall(node);
      case 'keyword_argument': {
        const value = child(node, 'value');
        if (value) this.visit(value, true);
        return;
      }
      case 'function_definition':
      case 'class_definition':
        for (const c of node.children) if (c.field !== 'name') this.visit(c);
        return;
      case 'parameters':
      case 'lambda_parameters':
        return this.visitParameters(node);
      case 'assignment':
      case 'augmented_assignment': {
        for (const c of node.children) if (c.field === 'left') this.visitTarget(c);
        else this.visit(c, c.field === 'right');
        return;
      }
      case 'for_statement':
      case 'for_in_clause':
        for (const c of node.children) if (c.field === 'left') this.visitTarget(c);
        else this.visit(c);
        return;
      case 'named_expression': {
        const value = child(node, 'value');
        if (value) this.visit(value, true);
        return;
      }
      case 'as_pattern':
        for (const c of node.children) if (c.field === 'alias') this.visitTarget(c);
        else this.visit(c, true);
        return;
      case 'delete_statement':
        for (const c of namedChildren(node)) this.visitTarget(c);
        return;
      case 'global_statement':
      case 'nonlocal_statement':
        return;
      case 'conditional_expression':
        // `a if test else b`: the branches are the value, the test is only read.
        namedChildren(node).forEach((c, i) => this.visit(c, escaping && i !== 1));
        for (const c of node.children) if (!c.named) this.visit(c);
        return;
      default: {
        const childrenEscape = ESCAPING_PARENTS.has(node.type) || (escaping && TRANSPARENT_PARENTS.has(node.type));
        // Index loops on the hot paths: measurably faster than for-of here.
        const children = node.children;
        for (let i = 0; i < children.length; i++) this.visit(children[i]!, childrenEscape);
      }
    }
  }

  private visitImport(node: SyntaxNode): void {
    if (node.type === 'future_import_statement') return;
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

  /** A name or attribute chain in an expression: one use per candidate meaning of the whole chain. */
  private reference(node: SyntaxNode, how: { value: boolean }): Ref[] {
    this.checkChain(node);
    const refs = this.resolve(node);
    for (const ref of refs) this.nameUse(ref, node, how.value);
    // Round 17 (deliberate, as src/python/analyse.ts): a path mover taken as a value counts as the path's.
    if (how.value && node.type === 'attribute') {
      for (const ref of refs) {
        const method = ref.segments[ref.segments.length - 1]!;
        if (PATH_MOVERS.has(method) && receiverMayBePath(ref, refs)) {
          this.nameUse(refOf(dottedName(dottedName(dottedName(names.root, 'pathlib'), 'Path'), method), 'import', true), node, false);
          break;
        }
      }
    }
    // The chain's base may hold more code: `f(x).y` visits the call, `d[k].y` the subscript.
    let base: SyntaxNode | undefined = node;
    while (base && base.type === 'attribute') base = child(base, 'object');
    if (base && base !== node && base.type !== 'identifier') this.visit(base);
    return refs;
  }

  /** Dunder and interpreter-internal names anywhere in a chain escape analysis. */
  private checkChain(node: SyntaxNode): void {
    let current: SyntaxNode | undefined = node;
    while (current) {
      if (current.type === 'attribute') {
        const attribute = child(current, 'attribute');
        if (attribute) {
          const name = this.identifier(attribute);
          if (isDunder(name) && !SAFE_DUNDER_ATTRIBUTES.has(name)) this.escape(`.${name}`, 'walks interpreter internals (dunder attribute)', attribute);
          else if (INTERNAL_ATTRIBUTES.has(name)) this.escape(`.${name}`, 'reaches frames, globals or code objects', attribute);
        }
        current = child(current, 'object');
      } else if (current.type === 'identifier') {
        const name = this.identifier(current);
        // Escaping builtins such as __import__ get their own reason from nameUse.
        if (isDunder(name) && !SAFE_DUNDER_NAMES.has(name) && !ESCAPE_BUILTINS.has(name)) this.escape(name, 'reaches interpreter internals (dunder name)', current);
        return;
      } else return;
    }
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
    let fn = child(node, 'function');
    const args = child(node, 'arguments');
    // Round 17 (deliberate, as src/python/analyse.ts): a called expression in parentheses is the call's function,
    // getattr(x, 'name')(…) calls x.name, and f.__call__(…) is f(…), for the rules that read a call's arguments.
    if (fn && fn.type === 'parenthesized_expression') fn = calledExpression(fn);
    if (fn && (fn.type === 'identifier' || fn.type === 'attribute')) {
      // What reference() resolved: the aliases are fixed by now, so resolving again would give the same.
      const refs = this.reference(fn, { value: false });
      this.callRules(node, refs, args);
    } else if (fn) {
      this.visit(fn);
      if (fn.type === 'call' && child(fn, 'function')?.type === 'identifier') {
        const refs = this.constantAttribute(fn);
        if (refs) this.callRules(node, refs, args);
      }
    }
    if (args) this.visit(args);
  }

  private callRules(node: SyntaxNode, called: Ref[], args: SyntaxNode | undefined): void {
    const refs = called.map((ref) => (ref.segments.length > 1 && ref.segments[ref.segments.length - 1] === '__call__' ? refOf(nameFrom(ref.segments.slice(0, -1)), ref.origin, ref.instance) : ref));
    const builtin = refs.find((ref) => ref.segments.length === 1 && ATTRIBUTE_BUILTINS.has(ref.segments[0]!));
    if (builtin) this.visitAttributeBuiltin(node, builtin.segments[0]!);
    // Round 16 (deliberate, as src/python/analyse.ts): slots named in strings.
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
    // Round 18 (deliberate, as src/python/analyse.ts): a switch given through functools.partial or operator.call.
    const first = positionalArguments(args)[0];
    let wrapsPartial = false;
    if (!switched && first && refs.some((ref) => !ref.instance && forwardsCall(ref.segments))) {
      for (const ref of this.resolve(first)) {
        const reason = switchedEscape(ref.segments, args, this.source, 1);
        if (reason) {
          this.escape(ref.segments.join('.'), reason, node);
          switched = true;
          break;
        }
        if (ref.instance && forwardsCall(ref.segments)) wrapsPartial = true;
      }
    }
    const keyword = !switched && (wrapsPartial || refs.some((ref) => ref.instance && forwardsCall(ref.segments))) ? keywordSwitchOn(args, this.source) : undefined;
    if (keyword) this.escape('functools.partial', keyword, node);
    // Round 17 (deliberate, as src/python/analyse.ts): calls read by their arguments' shape (call-shapes.ts).
    for (const ref of refs) {
      const method = ref.segments[ref.segments.length - 1]!;
      if (PATH_MOVERS.has(method) && receiverMayBePath(ref, refs) && pathMoverArguments(args, this.source)) {
        this.nameUse(refOf(dottedName(dottedName(dottedName(names.root, 'pathlib'), 'Path'), method), 'import', true), node, false);
        break;
      }
    }
    // Round 18 (deliberate, as src/python/analyse.ts): QFile's remove() and a folder's renamer on an unnamed object (call-shapes.ts).
    for (const ref of refs) {
      if (ref.segments[ref.segments.length - 1] === FILE_REMOVER && receiverMayBePath(ref, refs) && noArguments(args)) {
        this.nameUse(refOf(dottedName(dottedName(dottedName(names.root, 'qt'), 'QFile'), FILE_REMOVER), 'import', true), node, false);
        break;
      }
    }
    for (const ref of refs) {
      const method = ref.segments[ref.segments.length - 1]!;
      const owner = DIR_RENAMERS.get(method);
      if (owner && receiverMayBePath(ref, refs) && dirRenamerArguments(args)) {
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
      if (module !== undefined) this.nameUse(refOf(dottedName(dottedName(dottedName(names.root, 'slicer'), 'modules'), module), 'import', false), first!, false);
      else if (computedModuleEscapes(refs, first?.type)) this.escape(getter, COMPUTED_MODULE, node);
      break;
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
      // Round 16 (deliberate, as src/python/analyse.ts): setattr/delattr write.
      if (builtin !== 'getattr') this.writeEscapeOf(written, call);
    }
  }

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

  private visitParameters(node: SyntaxNode): void {
    for (const parameter of node.children) {
      switch (parameter.type) {
        case 'default_parameter':
        case 'typed_default_parameter':
        case 'typed_parameter':
          for (const c of parameter.children) if (c.field === 'value' || c.field === 'type') this.visit(c, c.field === 'value');
          break;
        default:
          // Parameter names bind; they name nothing outside.
          break;
      }
    }
  }

  /** Assignment and `del` targets: bare names bind; attributes and subscripts are references (and may write os.environ). */
  private visitTarget(node: SyntaxNode): void {
    switch (node.type) {
      case 'identifier':
        return;
      case 'subscript': {
        const value = child(node, 'value');
        if (value) {
          this.writeEscape(value, node);
          this.visit(value);
        }
        // tree-sitter reads `match [os]:` + a case block as an annotated assignment to `match[os]`, where
        // CPython sees a match statement binding its case names to the subject: the subject escapes.
        const matchSubject = value?.type === 'identifier' && this.identifier(value) === 'match';
        for (const c of node.children) if (c.field === 'subscript') this.visit(c, matchSubject);
        return;
      }
      case 'attribute':
        this.writeEscape(node, node);
        this.reference(node, { value: false });
        return;
      default:
        for (const c of node.children) {
          if (c.named) this.visitTarget(c);
        }
    }
  }

  /** `target` written (an item of it, or the whole of it): an escape when it names os.environ or sys.path, wherever in a chain. */
  private writeEscape(target: SyntaxNode, at: SyntaxNode): void {
    for (const ref of this.resolve(target)) this.writeEscapeOf(ref.name, at);
  }

  private writeEscapeOf(target: DottedName, at: SyntaxNode): void {
    const name = normalizeRoot(target);
    for (const [pattern, written] of WRITE_ESCAPE_PATTERNS) if (denyPatternMatches(pattern, name.segments)) this.escape(written, WRITE_ESCAPES.get(written)!, at);
  }

  private nameUse(ref: Ref, at: SyntaxNode, value: boolean): void {
    const normalized = normalizeRoot(ref.name);
    const name = normalized.text;
    this.uses.push({ kind: 'name', name, segments: normalized.segments as string[], origin: ref.origin, value, instance: ref.instance, line: at.line, column: at.column });
    for (const escape of escapesOf(normalized, ref.origin)) this.uses.push({ kind: 'escape', name, reason: escape.reason, line: at.line, column: at.column });
    if (value && !ref.instance) {
      for (const [valueName, reason] of ESCAPE_VALUES) if (name === valueName) this.uses.push({ kind: 'escape', name, reason, line: at.line, column: at.column });
      if (ATTRIBUTE_BUILTINS.has(name)) this.uses.push({ kind: 'escape', name, reason: `${name} handed around as a value`, line: at.line, column: at.column });
      // Round 18 (deliberate, as src/python/analyse.ts): a process runner handed around or subclassed.
      // An import binds the name (`from DICOMLib import DICOMCommand`), later called: not handed on yet.
      const handed = at.type === 'dotted_name' ? undefined : valueEscape(normalized.segments);
      if (handed) this.uses.push({ kind: 'escape', name, reason: handed, line: at.line, column: at.column });
    }
  }

  private escape(name: string, reason: string, at: SyntaxNode): void {
    this.uses.push({ kind: 'escape', name, reason, line: at.line, column: at.column });
  }
}

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

function cap(refs: Ref[]): Ref[] {
  if (refs.length > MAX_REFS) throw new TooComplex(`an expression has more than ${MAX_REFS} possible meanings`);
  return refs;
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
