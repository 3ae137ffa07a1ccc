/**
 * Calls that run code only when an argument switches it on: `numpy.load(f, allow_pickle=True)`
 * unpickles (arbitrary code), `numpy.load(f)` does not. A call to one of these names escapes analysis
 * unless the switch is left at its safe default or set to it with a literal; `*args` or `**kwargs`
 * that could carry it count as switched on. Pure.
 */
import { compilePattern, denyPatternMatches } from './names.js';
import { child, namedChildren, type SyntaxNode } from './syntax-tree.js';

/** One switch, as data: the reference analysis in test/ compiles the same table with its own names.ts. */
export interface SwitchSpec {
  /** The called name's pattern (names.ts syntax). */
  readonly name: string;
  readonly keyword: string;
  /** Its place among the positional arguments (0-based), if it can be given by position. */
  readonly position?: number;
  /** The literal that keeps the call safe: `true`, `false`, or a plain program name (`'img2dcm'`, no path). */
  readonly safe: 'true' | 'false' | 'tool-name';
  /** Whether leaving the argument out is safe. */
  readonly safeWhenAbsent: boolean;
  readonly reason: string;
}

const UNPICKLES = 'with allow_pickle unpickles, which runs arbitrary code';
const WEIGHTS = 'with weights_only=False unpickles, which runs arbitrary code';
const INPLACE = 'with inplace moves each file to a backup name, deleting a file already there';
const PYTEST = 'runs pytest on the test files and plugins it is given';

export const SWITCHED_ESCAPE_SPECS: readonly SwitchSpec[] = [
  { name: 'numpy.load', keyword: 'allow_pickle', position: 2, safe: 'false', safeWhenAbsent: true, reason: UNPICKLES },
  { name: 'numpy.lib.npyio.load', keyword: 'allow_pickle', position: 2, safe: 'false', safeWhenAbsent: true, reason: UNPICKLES },
  { name: 'numpy.lib.format.read_array', keyword: 'allow_pickle', position: 1, safe: 'false', safeWhenAbsent: true, reason: UNPICKLES },
  // weights_only defaults to True from PyTorch 2.6; older releases unpickle by default, but code that
  // loads a model that way is common and the guard cannot know the version: only an explicit False counts.
  { name: 'torch.load', keyword: 'weights_only', safe: 'true', safeWhenAbsent: true, reason: WEIGHTS },
  // The same switches on any receiver: the interpreter's namespace outlives a call, so `np` may be
  // numpy from an earlier call (`import numpy as np` is allowed) with no import the guard can see.
  // By keyword only: a receiver the guard cannot name may take other arguments in those places.
  { name: '**.load', keyword: 'allow_pickle', safe: 'false', safeWhenAbsent: true, reason: UNPICKLES },
  { name: '**.read_array', keyword: 'allow_pickle', safe: 'false', safeWhenAbsent: true, reason: UNPICKLES },
  { name: '**.load', keyword: 'weights_only', safe: 'true', safeWhenAbsent: true, reason: WEIGHTS },
  // Round 17: Slicer's DICOMCommand(cmd, args) runs DCMTK's folder + '/' + cmd, so '../../bin/sh' runs any program;
  // a plain tool name ('img2dcm', as Slicer's DICOM documentation shows) runs one of DCMTK's tools, like a CLI module.
  { name: '**.DICOMCommand', keyword: 'cmd', position: 0, safe: 'tool-name', safeWhenAbsent: false, reason: "runs the program its first argument names, which a path can take outside DCMTK's tools" },
  // Round 18: numpy's .npz reader unpickles when told to (np.load hands allow_pickle on to it; made directly too),
  // inspect evaluates string annotations with eval_str=True, and fileinput with inplace moves each file to a backup
  // name (deleting any file already there) before writing it anew.
  { name: 'numpy.lib.npyio.NpzFile', keyword: 'allow_pickle', position: 2, safe: 'false', safeWhenAbsent: true, reason: UNPICKLES },
  { name: '**.NpzFile', keyword: 'allow_pickle', safe: 'false', safeWhenAbsent: true, reason: UNPICKLES },
  { name: '**.signature', keyword: 'eval_str', safe: 'false', safeWhenAbsent: true, reason: 'with eval_str evaluates annotations given as strings' },
  { name: '**.from_callable', keyword: 'eval_str', safe: 'false', safeWhenAbsent: true, reason: 'with eval_str evaluates annotations given as strings' },
  { name: 'fileinput.input', keyword: 'inplace', position: 1, safe: 'false', safeWhenAbsent: true, reason: INPLACE },
  { name: 'fileinput.FileInput', keyword: 'inplace', position: 1, safe: 'false', safeWhenAbsent: true, reason: INPLACE },
  { name: '**.FileInput', keyword: 'inplace', safe: 'false', safeWhenAbsent: true, reason: INPLACE },
  // numpy's and SciPy's test(): pytest runs the test files given as tests=, and extra_argv may name plugins (-p).
  { name: '**.test', keyword: 'tests', safe: 'false', safeWhenAbsent: true, reason: PYTEST },
  { name: '**.test', keyword: 'extra_argv', safe: 'false', safeWhenAbsent: true, reason: PYTEST },
];

interface Switch extends SwitchSpec {
  readonly pattern: ReturnType<typeof compilePattern>;
}

const SWITCHED_ESCAPES: readonly Switch[] = SWITCHED_ESCAPE_SPECS.map((spec) => ({ ...spec, pattern: compilePattern(spec.name) }));

/** The last segment of every name above: most calls end otherwise and need no pattern matched. */
const LAST_SEGMENTS: ReadonlySet<string> = new Set(SWITCHED_ESCAPES.map((s) => s.pattern.text.split('.').at(-1)!));

/** The reason a call to `segments` with these arguments escapes analysis, or undefined. */
export function switchedEscape(segments: readonly string[], args: SyntaxNode | undefined, source: string, skip = 0): string | undefined {
  if (!LAST_SEGMENTS.has(segments[segments.length - 1]!)) return undefined;
  for (const s of SWITCHED_ESCAPES) {
    const matches = denyPatternMatches(s.pattern, segments);
    if (matches && switchedOn(s, args, source, skip)) return s.reason;
  }
  return undefined;
}

function switchedOn(s: Switch, args: SyntaxNode | undefined, source: string, skip: number): boolean {
  const items = args ? namedChildren(args).filter((c) => c.type !== 'comment') : [];
  let positional = -skip;
  for (const item of items) {
    if (item.type === 'list_splat' || item.type === 'dictionary_splat') return true;
    if (item.type === 'keyword_argument') {
      const name = child(item, 'name');
      if (name && source.slice(name.start, name.end) === s.keyword) return !isLiteral(child(item, 'value'), s.safe, source);
      continue;
    }
    if (s.position !== undefined && positional === s.position) return !isLiteral(item, s.safe, source);
    positional++;
  }
  return !s.safeWhenAbsent;
}

function isLiteral(node: SyntaxNode | undefined, literal: SwitchSpec['safe'], source: string): boolean {
  if (literal !== 'tool-name') return node?.type === literal;
  // Round 17 (deliberate, in src/ and the reference alike): a plain string naming a program, no path in it.
  if (node?.type !== 'string' || node.children.length !== 3) return false;
  const [start, content, end] = node.children;
  return start!.type === 'string_start' && !/[fFbBtT]/.test(source.slice(start!.start, start!.end)) && content!.type === 'string_content' && content!.children.length === 0 && end!.type === 'string_end' && TOOL_NAME.test(source.slice(content!.start, content!.end));
}

const TOOL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_+-]*$/;

/**
 * Round 18: `functools.partial(f, …)`, `functools.partialmethod(f, …)` and `operator.call(f, …)` call `f` with the
 * rest of their arguments, so a switch may be among them (`partial(np.load, allow_pickle=True)`): the analysers
 * read such a call's first argument as the called function and its other arguments with one position skipped.
 */
export const FORWARDER_SEGMENTS: ReadonlySet<string> = new Set(['partial', 'partialmethod', 'call']);

export function forwardsCall(segments: readonly string[]): boolean {
  const last = segments[segments.length - 1]!;
  if (segments.length === 1) return last === 'partial';
  if (segments.length !== 2) return false;
  return segments[0] === 'functools' ? last === 'partial' || last === 'partialmethod' : segments[0] === 'operator' && last === 'call';
}

/**
 * A partial object called later (`ld = functools.partial(np.load); ld(f, allow_pickle=True)`): what it wraps is
 * not followed, so any switch keyword given a value other than its safe literal, or `**kwargs` that may carry
 * one, counts. The reason, or undefined.
 */
export function keywordSwitchOn(args: SyntaxNode | undefined, source: string): string | undefined {
  for (const item of args ? namedChildren(args) : []) {
    if (item.type === 'dictionary_splat') return PARTIAL_SWITCH;
    if (item.type !== 'keyword_argument') continue;
    const name = child(item, 'name');
    const s = name ? KEYWORD_SWITCHES.get(source.slice(name.start, name.end)) : undefined;
    if (s && !isLiteral(child(item, 'value'), s.safe, source)) return s.reason;
  }
  return undefined;
}

const KEYWORD_SWITCHES: ReadonlyMap<string, Switch> = new Map(SWITCHED_ESCAPES.filter((s) => s.safe !== 'tool-name').map((s) => [s.keyword, s]));
const PARTIAL_SWITCH = 'a partial object called with **kwargs, which may switch on what it wraps';
