/**
 * Calls the guard reads by the shape of their arguments as well as by their names (round 17 of probing,
 * docs/dev/python-parsers.md). Pure; the analyser and both reference analysers in test/python/reference
 * use these functions, so the differential tests keep comparing everything else.
 *
 * - A path's signature: `x.rename(target)` and `x.replace(target)` with one argument are what a pathlib
 *   path's methods look like (`str.replace` needs two; keyword-only `datetime.replace(microsecond=0)` and
 *   `df.rename(columns=…)` are not this shape). Value flow loses paths through any helper it does not model
 *   (`copy.copy`, `functools.reduce`, a property, `__getattr__`, a metaclass, a generator's `send`, …), so
 *   such a call on an object the analysis cannot name is read as the path method it may be.
 * - Slicer's module getters named by a string: `slicer.util.getModuleLogic('WebServer')` reaches the module
 *   `slicer.modules.webserver`, whose logic or widget the getter returns.
 */
import { child, namedChildren, type SyntaxNode } from './syntax-tree.js';

/** Methods of pathlib's paths that move a file, taking the target as their one argument (Path.move_into: Python 3.14). */
export const PATH_MOVERS: ReadonlySet<string> = new Set(['rename', 'replace', 'move_into']);

/**
 * Whether the call's arguments may be a path mover's: one argument, by position or as `target=`. Unpacked
 * arguments (`*a`, `**k`) may be that one argument, so they count as it; any other keyword
 * (`columns=`, `microsecond=`) or a second argument does not fit.
 */
export function pathMoverArguments(args: SyntaxNode | undefined, source: string): boolean {
  const shape = argumentShape(args, source);
  if (shape.otherKeywords > 0) return false;
  const explicit = shape.positional + shape.targets;
  return explicit === 1 || (explicit === 0 && shape.unpacked);
}

/** A call's arguments counted by kind (comments aside): what the shapes below are made of. */
interface ArgumentShape {
  positional: number;
  /** `target=` keywords (a path mover's one argument by name). */
  targets: number;
  otherKeywords: number;
  /** Whether `*a` or `**k` may stand for any of them. */
  unpacked: boolean;
}

/** Without the source, every keyword counts as another one. */
function argumentShape(args: SyntaxNode | undefined, source?: string): ArgumentShape {
  const shape: ArgumentShape = { positional: 0, targets: 0, otherKeywords: 0, unpacked: false };
  for (const item of args ? namedChildren(args) : []) {
    if (item.type === 'comment') continue;
    if (item.type === 'list_splat' || item.type === 'dictionary_splat') shape.unpacked = true;
    else if (item.type === 'keyword_argument') {
      const name = child(item, 'name');
      if (name && source?.slice(name.start, name.end) === 'target') shape.targets++;
      else shape.otherKeywords++;
    } else shape.positional++;
  }
  return shape;
}

/**
 * Round 18: a folder's renamers take the old and the new name: Qt's `QDir.rename(old, new)` and VTK's
 * `vtkDirectory.Rename(old, new)`. A QDir reached through `QFileInfo(p).dir()`, a dictionary or a property,
 * or a vtkDirectory lost the same ways, is an object the analysis cannot name; two positional arguments and
 * no keyword is their shape (`str` has no rename; pandas' `rename` takes one positional argument, the rest
 * by keyword). Each maps to the class whose method it may be: [module, class].
 */
export const DIR_RENAMERS: ReadonlyMap<string, readonly [string, string]> = new Map([['rename', ['qt', 'QDir']], ['Rename', ['vtk', 'vtkDirectory']]]);

/**
 * Round 18: `QFile.remove()` takes no argument (its own file); a QFile returned by a property, a dictionary or
 * `__getattr__` is an object the analysis cannot name, and `remove()` with no argument its shape (a list's or
 * a set's `remove` takes the item). A QTemporaryDir's `remove()` has it too: a false denial (it removes itself
 * when it goes away anyway); every name may still hold what it held before the code ran, so no class tells it apart.
 */
export const FILE_REMOVER = 'remove';

/** Whether the call has no argument at all (comments aside). */
export function noArguments(args: SyntaxNode | undefined): boolean {
  return !args || namedChildren(args).every((item) => item.type === 'comment');
}

/** Whether the call's arguments may be a folder renamer's: two by position (unpacked ones may be them), no keyword. */
export function dirRenamerArguments(args: SyntaxNode | undefined): boolean {
  const shape = argumentShape(args);
  if (shape.targets + shape.otherKeywords > 0) return false;
  return shape.positional === 2 || (shape.unpacked && shape.positional < 2);
}

/**
 * Whether a meaning of the call's function (`refs`: all of them) may be a method of a path: anything but a
 * module's own function (`dataclasses.replace(obj)`, `os.rename(a)`: an imported name of two segments that no
 * call made, which the lists decide by name), nor the same name as it may have been before the code ran
 * (the free meaning every imported name also keeps).
 */
export function receiverMayBePath(ref: ShapeRef, refs: readonly ShapeRef[]): boolean {
  if (ref.instance || ref.segments.length > 2) return true;
  if (ref.origin === 'import') return false;
  return !refs.some((other) => other.origin === 'import' && !other.instance && sameSegments(other.segments, ref.segments));
}

/** What the rules need of a meaning (the analysers' Ref and the references' own). */
export interface ShapeRef {
  readonly segments: readonly string[];
  readonly origin: 'import' | 'free';
  readonly instance: boolean;
}

function sameSegments(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}

/**
 * Slicer's getters of a module's object by the module's name (slicer.util's, and on any receiver), and the
 * module manager's lookup (`slicer.app.moduleManager().module('WebServer')`). A getter given a name the guard
 * cannot read (not a string, nor `slicer.modules.x`) escapes; `module(name)` only on the module manager
 * (`slicer.app.moduleManager().module(name)`), as it is too common a method name elsewhere.
 */
export const MODULE_GETTERS: ReadonlySet<string> = new Set(['getModule', 'getModuleGui', 'getModuleWidget', 'getModuleLogic', 'getNewModuleGui', 'getNewModuleWidget', 'module']);

/**
 * Whether a getter escapes when its module's name cannot be read (see MODULE_GETTERS), given the meanings of
 * the called function and its first argument's node type: `module(name)` only on Slicer's module manager.
 */
export function computedModuleEscapes(refs: readonly ShapeRef[], firstType: string | undefined): boolean {
  if (firstType === 'attribute') return false;
  return refs.some((ref) => {
    const getter = ref.segments[ref.segments.length - 1]!;
    return MODULE_GETTERS.has(getter) && (getter !== 'module' || ref.segments.includes('moduleManager'));
  });
}

export const COMPUTED_MODULE = "reaches a Slicer module by a computed name (a module's logic or widget can start a server or delete files)";

/** The attribute of `slicer.modules` a module name given as a string stands for (`WebServer` → `webserver`), or undefined. */
export function slicerModuleAttribute(name: string | undefined): string | undefined {
  return name !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name.toLowerCase() : undefined;
}

/**
 * A method named `exec` given an argument runs it as code: Slicer's Python console (`ctkConsole.exec(code)`,
 * however it was found: `slicer.util.findChild(mainWindow, …)`), the web server's request handler. Qt's dialogs
 * and menus call theirs without one (`dialog.exec()`); `menu.exec(pos)` is the rare false denial.
 */
export const CODE_METHODS: ReadonlySet<string> = new Set(['exec', 'exec_']);

export function runsCodeGiven(segments: readonly string[], args: SyntaxNode | undefined): boolean {
  if (segments.length < 2 || !CODE_METHODS.has(segments[segments.length - 1]!)) return false;
  return (args ? namedChildren(args) : []).some((c) => c.type !== 'comment');
}

export const CODE_GIVEN = 'runs the code it is given (a Python console or request handler found by other means)';
