/** The launcher (bin/run-bundle.cjs) puts its own `import()` here: see importModule. */
export const IMPORT_HOOK = Symbol.for('policylayer.import');

/**
 * Dynamic import() for packages and files outside the bundle. The CLI bundle runs from V8's code
 * cache through vm.Script, where a plain import() has no loader (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING,
 * and Node 20's workaround is experimental and loses its callback under a code cache); the launcher
 * therefore lends its own import(). From source (tests) there is no hook and import() is used as is.
 */
export function importModule<T>(specifier: string): Promise<T> {
  const hook = (globalThis as Record<symbol, unknown>)[IMPORT_HOOK] as ((specifier: string) => Promise<unknown>) | undefined;
  return (hook ? hook(specifier) : import(specifier)) as Promise<T>;
}
