/**
 * What static analysis cannot follow, whatever the policy says: names that run or load code the
 * guard never sees, reach any module or object by a computed name, or walk the interpreter's
 * internals. A guard with `deny_unanalysable` (the default) denies code that uses any of them.
 * Patterns use the guard's own syntax (src/python/names.ts): `pickle` covers `pickle.loads`.
 * A one-segment name that is not a builtin (`code`, `pickle`) is a module: it counts when imported or
 * reached through an import, not when a local variable happens to share its name.
 */
import { compilePattern, denyPatternMatches } from './names.js';

export const ESCAPE_NAMES: ReadonlyArray<readonly [pattern: string, reason: string]> = [
  ['exec', 'runs code built at run time'],
  ['eval', 'runs code built at run time'],
  ['compile', 'builds code at run time'],
  ['execfile', 'runs code from a file'],
  ['__import__', 'imports a module by a computed name'],
  ['importlib', 'imports modules by computed names'],
  ['imp', 'imports modules by computed names'],
  ['runpy', 'runs modules or files as code'],
  ['code', 'runs code built at run time'],
  ['codeop', 'builds code at run time'],
  ['pkgutil', 'loads modules by computed names'],
  ['zipimport', 'loads modules from archives'],
  // Cython's import hook: a later import compiles a .pyx file (running the C compiler) and loads it.
  ['pyximport', 'installs an import hook that compiles and loads code the guard never reads'],
  ['globals', 'reaches every global name, including any module'],
  ['locals', 'reaches names by computed keys'],
  ['vars', 'reaches names by computed keys'],
  ['breakpoint', 'starts a debugger that runs arbitrary code'],
  ['ctypes', 'calls native code directly'],
  ['_ctypes', 'calls native code directly'],
  ['cffi', 'calls native code directly'],
  ['posix', 'the C module behind os (posix.system, posix.fork, …)'],
  ['nt', 'the C module behind os on Windows'],
  ['_posixsubprocess', 'starts processes below subprocess'],
  ['_winapi', 'calls the Windows API directly'],
  ['pickle', 'unpickling runs arbitrary code'],
  ['_pickle', 'unpickling runs arbitrary code'],
  ['cPickle', 'unpickling runs arbitrary code'],
  ['dill', 'unpickling runs arbitrary code'],
  ['cloudpickle', 'unpickling runs arbitrary code'],
  ['jsonpickle', 'unpickling runs arbitrary code'],
  ['shelve', 'unpickling runs arbitrary code'],
  ['marshal', 'loads code objects'],
  ['types.CodeType', 'builds code objects'],
  ['types.FunctionType', 'builds functions from code objects'],
  ['sys.modules', 'reaches or replaces any loaded module'],
  // Where imports load code from: a folder added here makes `import x` run a file the guard never read.
  ['sys.path.insert', 'changes where imports load code from'],
  ['sys.path.append', 'changes where imports load code from'],
  ['sys.path.extend', 'changes where imports load code from'],
  ['sys.meta_path', 'changes how imports find and load code'],
  ['sys.path_hooks', 'changes how imports find and load code'],
  ['sys.path_importer_cache', 'changes how imports find and load code'],
  ['site.addsitedir', 'adds a folder to the import path and runs its .pth files'],
  ['site.addpackage', 'runs the lines of a .pth file'],
  ['site.main', 'adds folders to the import path and runs their .pth files'],
  ['sys._getframe', 'walks interpreter frames and their globals'],
  ['sys.settrace', 'runs code on every line'],
  ['sys.setprofile', 'runs code on every call'],
  ['sys.addaudithook', 'hooks interpreter events'],
  ['inspect.currentframe', 'walks interpreter frames and their globals'],
  ['inspect.stack', 'walks interpreter frames and their globals'],
  ['inspect.trace', 'walks interpreter frames and their globals'],
  ['inspect.getouterframes', 'walks interpreter frames and their globals'],
  // Every attribute of an object, by a name chosen at run time.
  ['inspect.getmembers', 'reaches attributes by computed names'],
  ['inspect.getmembers_static', 'reaches attributes by computed names'],
  ['inspect.getattr_static', 'reaches attributes by computed names'],
  ['inspect.getinnerframes', 'walks interpreter frames and their globals'],
  ['gc.get_objects', 'reaches every live object'],
  ['gc.get_referrers', 'reaches objects by reference'],
  ['gc.get_referents', 'reaches objects by reference'],
  ['operator.attrgetter', 'reaches attributes by computed names'],
  ['operator.methodcaller', 'calls methods by computed names'],
  ['os.putenv', 'changes the environment of the process and its children'],
  ['os.unsetenv', 'changes the environment of the process and its children'],
  ['os.environ.update', 'changes the environment of the process and its children'],
  ['os.environ.setdefault', 'changes the environment of the process and its children'],
  ['os.environ.pop', 'changes the environment of the process and its children'],
  ['os.environ.popitem', 'changes the environment of the process and its children'],
  ['os.environ.clear', 'changes the environment of the process and its children'],
  ['os.environb', 'changes the environment of the process and its children'],
  // The item-writing dunders are harmless elsewhere (SAFE_DUNDER_ATTRIBUTES), not on these two.
  ['os.environ.__setitem__', 'changes the environment of the process and its children'],
  ['os.environ.__delitem__', 'changes the environment of the process and its children'],
  ['os.environ.__init__', 'changes the environment of the process and its children'],
  ['sys.path.__setitem__', 'changes where imports load code from'],
  ['sys.path.__delitem__', 'changes where imports load code from'],
  ['sys.path.__init__', 'changes where imports load code from'],
  // The same modules reached as attributes of others (`numpy.lib.format.pickle`, `pkgutil.importlib`):
  // their dangerous members by name, which count anywhere in a chain.
  ['pickle.loads', 'unpickling runs arbitrary code'],
  ['pickle.load', 'unpickling runs arbitrary code'],
  ['pickle.Unpickler', 'unpickling runs arbitrary code'],
  ['marshal.loads', 'loads code objects'],
  ['marshal.load', 'loads code objects'],
  ['importlib.import_module', 'imports a module by a computed name'],
  ['importlib.reload', 'reloads a module'],
  ['importlib.util', 'loads modules from computed names or files'],
  ['importlib.machinery', 'loads modules from computed names or files'],
  ['ctypes.CDLL', 'calls native code directly'],
  ['ctypes.cdll', 'calls native code directly'],
  ['ctypes.PyDLL', 'calls native code directly'],
  ['ctypes.pydll', 'calls native code directly'],
  ['ctypes.pythonapi', 'calls the interpreter\'s C API directly'],
  ['ctypes.CFUNCTYPE', 'calls native code directly'],
  ['ctypes.memmove', 'writes memory directly'],
  ['ctypes.cast', 'reinterprets memory directly'],
  ['runpy.run_path', 'runs a file as code'],
  ['runpy.run_module', 'runs a module as code'],
  ['shelve.open', 'unpickling runs arbitrary code'],
  ['code.interact', 'runs code built at run time'],
  ['code.InteractiveInterpreter', 'runs code built at run time'],
  ['code.InteractiveConsole', 'runs code built at run time'],
  // Standard-library tools that take code as a string and run it (found probing the strict profile
  // with code it had not seen): timers, profilers, debuggers and tracers, doctest.
  ['timeit.timeit', 'runs code given as a string'],
  ['timeit.repeat', 'runs code given as a string'],
  ['timeit.Timer', 'runs code given as a string'],
  ['pdb', 'a debugger: runs code given as a string or typed at its prompt'],
  ['bdb', 'a debugger: runs code given as a string'],
  ['cProfile.run', 'runs code given as a string'],
  ['cProfile.runctx', 'runs code given as a string'],
  ['profile.run', 'runs code given as a string'],
  ['profile.runctx', 'runs code given as a string'],
  ['cProfile.Profile.run', 'runs code given as a string'],
  ['cProfile.Profile.runctx', 'runs code given as a string'],
  ['profile.Profile.run', 'runs code given as a string'],
  ['profile.Profile.runctx', 'runs code given as a string'],
  ['trace.Trace.run', 'runs code given as a string'],
  ['trace.Trace.runctx', 'runs code given as a string'],
  // …and their command lines, callable from code: timeit.main(args) runs the statements it is given,
  // cProfile.main/profile.main/trace.main run the script sys.argv names (round 16).
  ['timeit.main', 'runs code given as a string'],
  ['cProfile.main', 'runs the script its command line names'],
  ['profile.main', 'runs the script its command line names'],
  ['trace.main', 'runs the script its command line names'],
  // IDLE's subprocess side runs code strings (Executive.runcode) and its shell starts processes.
  ['idlelib', 'runs code given as strings and starts processes'],
  ['doctest', 'runs the code in docstrings'],
  // Resolving objects from dotted names given as data: any callable, by a name the guard never sees.
  ['logging.config', "builds objects from dotted names in its configuration (a '()' factory can be any callable); listen() takes configurations from the network"],
  ['pydoc.locate', 'imports modules by computed names'],
  // The rest of pydoc too: resolve() imports by a dotted name, browse() serves HTTP and opens a browser, its pagers run commands.
  ['pydoc', 'imports modules by names given as strings (resolve, locate), runs pagers and serves documentation over HTTP (browse)'],
  // unittest.mock resolves its targets by dotted names given as strings: patch('subprocess.run').getter() is the module, patch.dict('os.environ', …) writes it.
  ['unittest.mock', 'resolves objects by dotted names given as strings (patch, patch.dict)'],
  ['mock', 'resolves objects by dotted names given as strings (patch, patch.dict)'],
  // Entry points name a module and an attribute as a string: EntryPoint.parse('x = subprocess:getoutput').resolve().
  ['pkg_resources.EntryPoint', 'resolves an object from a module and attribute named in a string'],
  ['**.load_entry_point', 'resolves an object from a module and attribute named in a string'],
  ['**.iter_entry_points', 'resolves objects from modules and attributes named in strings'],
  ['**.get_entry_info', 'resolves an object from a module and attribute named in a string'],
  ['**.get_entry_map', 'resolves objects from modules and attributes named in strings'],
  ['**.run_script', 'runs a script installed with a package'],
  // Tcl, through tkinter: its exec starts processes and its socket opens connections, from a string.
  ['tkinter', 'runs Tcl code given as a string (Tcl exec starts processes, socket opens connections)'],
  ['_tkinter', 'runs Tcl code given as a string (Tcl exec starts processes, socket opens connections)'],
  ['Tkinter', 'runs Tcl code given as a string (Tcl exec starts processes, socket opens connections)'],
  ['pydoc.importfile', 'runs a file as a module'],
  ['pydoc.safeimport', 'imports modules by computed names'],
  // Annotations given as strings are evaluated as code by these.
  ['typing.get_type_hints', 'evaluates annotations given as strings'],
  ['typing.ForwardRef', 'evaluates a string as code'],
  ['typing.evaluate_forward_ref', 'evaluates a string as code'],
  ['typing._eval_type', 'evaluates a string as code'],
  ['inspect.get_annotations', 'evaluates annotations given as strings (eval_str)'],
  ['annotationlib', 'evaluates annotations given as strings'],
  // Qt's meta-object system calls a method named by a string: QMetaObject.invokeMethod(obj, 'name'),
  // and QMetaMethod.invoke on a method found by its signature.
  ['**.invokeMethod', 'calls a method named by a string'],
  ['**.indexOfMethod', 'finds a method to call by a string'],
  ['**.indexOfSlot', 'finds a method to call by a string'],
  // …or by its index, chosen by comparing names at run time: metaObject().method(i).invoke(obj) (round 16).
  ['**.method.invoke', 'calls a method chosen at run time'],
  ['**.QMetaMethod.invoke', 'calls a method chosen at run time'],
  // Python run by VTK's own interpreter, from a string.
  ['**.vtkPythonInterpreter', 'runs Python given as a string'],
  ['**.RunSimpleString', 'runs Python given as a string'],
  // Its interactive console (a Push() of each line, RunStringInConsole()): the same, a line at a time.
  ['**.vtkPythonInteractiveInterpreter', 'runs Python given as a string'],
  ['**.RunStringInConsole', 'runs Python given as a string'],
  // Slicer's Python console (CTK's ctkConsole): exec() and runFile() run any string or file.
  ['**.pythonShell', "reaches Slicer's Python console, whose exec() and runFile() run any string or file"],
  ['**.pythonConsole', "reaches Slicer's Python console, whose exec() and runFile() run any string or file"],
  ['**.ctkPythonConsole', 'a Python console: its exec() and runFile() run any string or file'],
  // IPython's shell (a Jupyter kernel, SlicerJupyter): system(), getoutput() and run_cell() run shell commands and code.
  ['**.get_ipython', "reaches IPython's shell, whose system(), getoutput() and run_cell() run shell commands and code"],
  // Slicer's module factory loads a scripted module's code from a file the guard never read.
  ['**.registerModule', "loads a module's code from a file"],
  ['**.loadModules', "loads modules' code from their files"],
  // …and by folder: registerModules(dir) then instantiateModules() runs every scripted module found there (round 16).
  ['**.registerModules', "registers modules from a folder, whose code then runs"],
  ['**.instantiateModules', "runs the code of the modules registered"],
  // numpy's test helper compiles C source given as strings and imports the result.
  ['**.extbuild', 'compiles and loads native code given as strings'],
  ['**.build_and_import_extension', 'compiles and loads native code given as strings'],
  // numpy.testing runs strings and files as code: runstring(s, d) and measure(s) exec them, rundocs(file)
  // imports the file (its top level runs) and its doctests. On any receiver (np may be bound earlier);
  // rooted names would make `import numpy as np` hand around a module with an escape under it.
  // Subinterpreters run code strings (_xxsubinterpreters.run_string in CPython 3.8-3.12, _interpreters from
  // 3.13, concurrent.interpreters from 3.14), and CPython's test helpers do too (_testcapi.run_in_subinterp,
  // test.support.run_in_subinterp) besides reaching interpreter internals.
  ['_xxsubinterpreters', 'runs code given as a string in a subinterpreter'],
  ['_interpreters', 'runs code given as a string in a subinterpreter'],
  ['interpreters', 'runs code given as a string in a subinterpreter'],
  ['concurrent.interpreters', 'runs code given as a string in a subinterpreter'],
  ['_testcapi', "CPython's C test API: runs code strings and reaches interpreter internals"],
  ['_testinternalcapi', "CPython's C test API: runs code strings and reaches interpreter internals"],
  ['test.support', 'runs code given as strings and starts Python processes'],
  ['**.runstring', 'runs code given as a string'],
  ['**.rundocs', 'runs a file and its doctests as code'],
  ['**.testing.measure', 'runs code given as a string'],
  ['**.utils.measure', 'runs code given as a string'],
  // A format string's fields name attributes: Formatter().get_field('0.__globals__', …) returns them.
  ['string.Formatter', 'reaches attributes by names given in a format string'],
  ['sys.breakpointhook', 'starts a debugger that runs arbitrary code'],
  // Native libraries loaded by name: their functions run outside Python.
  ['**.QLibrary', 'loads a native library and calls its functions'],
  ['**.QPluginLoader', 'loads a native library'],
  ['**.vtkDynamicLoader', 'loads a native library and calls its functions'],
  // Folders Qt loads plugins from (image formats, styles, Designer widgets for QUiLoader): native code from a folder open() can fill.
  ['**.addLibraryPath', 'makes Qt load native plugins from a folder'],
  ['**.setLibraryPaths', 'makes Qt load native plugins from a folder'],
  ['**.addPluginPath', 'makes Qt load native plugins from a folder'],
  ['**.setPluginPathList', 'makes Qt load native plugins from a folder'],
  // …and through other libraries' loaders, whatever name the module was bound to (`np.ctypeslib`
  // from a previous call): numpy's ctypes helpers, PyTorch's and TensorFlow's custom-op loaders,
  // llvmlite's, cffi's and ctypes' dlopen.
  ['**.ctypeslib', "reaches numpy's ctypes helpers, which load native libraries and call their functions"],
  // …and the ctypes module itself as an object's attribute: every NumPy array's `a.ctypes._ctypes` is ctypes
  // (memset, py_object, CDLL), past a call, where the module name alone no longer counts (round 16).
  ['**._ctypes', 'reaches the ctypes module, which calls native code and writes memory directly'],
  ['**.load_library', 'loads a native library'],
  ['**.load_op_library', 'loads a native library'],
  ['**.load_library_permanently', 'loads a native library'],
  ['**.dlopen', 'loads a native library'],
  // setuptools' sandbox runs a setup script from a file.
  ['setuptools.sandbox', 'runs a setup script from a file'],
  // PyYAML's loaders that build any Python object a document names.
  ['yaml.unsafe_load', 'builds any Python object the document names'],
  ['yaml.unsafe_load_all', 'builds any Python object the document names'],
  ['yaml.Loader', 'builds any Python object the document names'],
  ['yaml.UnsafeLoader', 'builds any Python object the document names'],
  ['yaml.CLoader', 'builds any Python object the document names'],
  ['yaml.CUnsafeLoader', 'builds any Python object the document names'],
  // Unpickling through other libraries.
  ['joblib.load', 'unpickling runs arbitrary code'],
  ['**.read_pickle', 'unpickling runs arbitrary code'],
  // Found in round 16 (docs/dev/python-parsers.md). Objects handed out by a computed name: a function's
  // module (`inspect.getmodule(shutil.copy).move`), the globals it uses by key, a class's attributes as objects.
  ['inspect.getmodule', "returns a function's module, whose members are then reached unnamed"],
  ['inspect.getclosurevars', "returns the globals a function uses, by computed keys"],
  ['inspect.classify_class_attrs', "returns a class's attributes as objects, picked by computed names"],
  // inspect's command line, called from code, imports the module sys.argv names.
  ['inspect._main', 'imports a module by a computed name'],
  // unittest's loader resolves dotted names given as strings, and calls what it finds (loadTestsFromName('os.fork'));
  // discover() and main() import test files and modules by name.
  ['**.loadTestsFromName', 'resolves a dotted name given as a string and calls it'],
  ['**.loadTestsFromNames', 'resolves dotted names given as strings and calls them'],
  ['unittest.**.discover', 'imports and runs test files from a folder'],
  ['unittest.main', 'imports a module named by a string and runs its tests'],
  ['unittest.TestProgram', 'imports a module named by a string and runs its tests'],
  // Entry points by the backport's name (importlib.metadata is under importlib): EntryPoint('x', 'os:system', 'g').load().
  ['importlib_metadata', 'resolves objects named by strings (entry points)'],
  // setuptools' build backend runs the project's setup.py.
  ['setuptools.build_meta', "runs a project's setup.py"],
  // site's other entry points process .pth files (their `import` lines run) or import sitecustomize/usercustomize.
  ['site.add*', 'adds folders to the import path and runs their .pth files'],
  ['site.exec*', 'imports sitecustomize or usercustomize, files the guard never read'],
  ['site.venv', 'adds folders to the import path and runs their .pth files'],
  // SQLite's extension loading (a native library), from Python or from SQL once enabled.
  ['**.enable_load_extension', 'lets SQLite load native libraries'],
  ['**.load_extension', 'loads a native library'],
  // Slicer's own environment setters: the same as os.environ writes (CLI modules and other processes inherit them).
  ['**.setEnvironmentVariable', 'changes the environment of the process and its children'],
  ['**.prependEnvironmentVariable', 'changes the environment of the process and its children'],
  ['**.appendEnvironmentVariable', 'changes the environment of the process and its children'],
  // The other ways to reorder or empty the import path: a folder later on it then wins.
  ['sys.path.remove', 'changes where imports load code from'],
  ['sys.path.pop', 'changes where imports load code from'],
  ['sys.path.clear', 'changes where imports load code from'],
  ['sys.path.reverse', 'changes where imports load code from'],
  ['sys.path.sort', 'changes where imports load code from'],
  // Found in round 17. The builtin help() is pydoc's: help('name') imports the module a string names (its top
  // level runs), and help() alone starts an interactive prompt; site's _Helper is the same object.
  ['help', 'imports modules named by strings (pydoc)'],
  ['site._Helper', 'imports modules named by strings (pydoc)'],
  // Standard-library internals that import a module named by a string, or run a file: warnings' option parser
  // (the category of 'ignore::mod.X' is imported), optparse's Values.read_module/read_file (exec of the file),
  // xml.sax's parser factory, turtle (its config reader evals values, and it wraps tkinter's Tcl).
  ['warnings._getcategory', 'imports a module named by a string'],
  ['warnings._setoption', 'imports a module named by a string'],
  ['warnings._processoptions', 'imports modules named by strings'],
  ['optparse.**.read_module', 'imports a module named by a string'],
  ['optparse.**.read_file', 'runs a file as code'],
  ['**.read_module', 'imports a module named by a string'],
  ['xml.sax._create_parser', 'imports a module named by a string'],
  ['turtle', 'evaluates values of a configuration file and runs Tcl code (tkinter)'],
  ['turtledemo', 'runs Tcl code (tkinter) and demo scripts'],
  // IPython's shells run code and shell commands typed or given to them (embed, start_ipython, start_kernel,
  // InteractiveShell.instance().system).
  ['IPython.embed', 'starts a shell that runs code and commands'],
  ['IPython.start_ipython', 'starts a shell that runs code and commands'],
  ['IPython.start_kernel', 'starts a kernel that runs code and commands'],
  ['IPython.core.interactiveshell', 'a shell that runs code and commands'],
  ['IPython.terminal', 'a shell that runs code and commands'],
  ['**.InteractiveShell', 'a shell that runs code and commands'],
  ['**.TerminalInteractiveShell', 'a shell that runs code and commands'],
  // Python 3.14 runs a script file in another Python process.
  ['sys.remote_exec', 'runs a file as code in another process'],
  // Slicer's own: slicer.testing.runUnitTest(path, name) puts a folder on sys.path and imports a test module by
  // name; loadSlicerRCFile() (a global of Slicer's console, from slicerqt) execs ~/.slicerrc.py, which open() can write.
  ['**.runUnitTest', 'puts a folder on the import path and imports a module named by a string'],
  ['**.loadSlicerRCFile', "runs Slicer's startup file, which the code may just have written"],
  // ctkConsole's runFile runs a file, however the console was found (slicer.util.findChild).
  ['**.runFile', 'runs a file as code'],
  // Qt's script engines evaluate JavaScript given as a string, which calls any slot of the objects handed to it by name.
  ['**.QJSEngine', 'runs JavaScript given as a string, which calls slots by name'],
  ['**.QScriptEngine', 'runs JavaScript given as a string, which calls slots by name'],
  ['**.QQmlEngine', 'runs QML and JavaScript given as strings, which call slots by name'],
  ['**.QQmlApplicationEngine', 'runs QML and JavaScript given as strings, which call slots by name'],
  ['**.QQmlComponent', 'runs QML and JavaScript given as strings, which call slots by name'],
  // Found in round 18. functools' single dispatch evaluates a registered function's annotations when they are
  // strings (register(f) without a class calls get_type_hints), as inspect.signature(…, eval_str=True) does
  // (switched-escapes.ts); lib2to3 imports its fixers by names given as strings (and its main renames files
  // to backups); setuptools.launch.run() runs the script sys.argv names.
  ['functools.singledispatch', 'evaluates annotations given as strings (register)'],
  ['functools.singledispatchmethod', 'evaluates annotations given as strings (register)'],
  ['lib2to3', 'imports modules named by strings (its fixers)'],
  ['setuptools.launch', 'runs the script sys.argv names'],
  // pytest runs the test files and folders it is given and imports plugins by name (-p name); numpy's and
  // SciPy's test() hand it their tests and extra arguments (switched-escapes.ts: by name, numpy.test would make
  // `import numpy as np` a module handed around).
  ['pytest', 'runs the test files it is given and imports plugins named by strings'],
  ['**.PytestTester', 'runs pytest with the arguments it is given (test files, plugins by name)'],
];

/**
 * Modules among ESCAPE_NAMES' roots that code reaches only by importing them: no Python host we know
 * binds them as globals before the code runs (MCP-Slicer's exec binds os, json, logging, time, urllib,
 * qt, vtk, slicer; Slicer's console adds ctk and slicer.util's names). A name with no import behind it
 * that is spelt like one of them is the code's own variable (`code = "T-D0050"`, a line `profile`),
 * so handing it around hides nothing. sys, os, inspect, gc, operator, types and logging are left
 * out: hosts do bind some of them.
 */
export const IMPORT_ONLY_ROOTS: ReadonlySet<string> = new Set([
  'code', 'codeop', 'runpy', 'pkgutil', 'zipimport', 'imp', 'importlib', 'ctypes', '_ctypes', 'cffi', 'posix', 'nt',
  '_posixsubprocess', '_winapi', 'pickle', '_pickle', 'cPickle', 'dill', 'cloudpickle', 'jsonpickle', 'shelve', 'marshal',
  'timeit', 'pdb', 'bdb', 'cProfile', 'profile', 'trace', 'doctest', 'pydoc', 'joblib', 'yaml', 'typing', 'annotationlib',
  'site', 'setuptools', 'mock', 'tkinter', '_tkinter', 'Tkinter', 'pyximport', 'importlib_metadata', 'idlelib', '_xxsubinterpreters', '_interpreters', 'interpreters', '_testcapi', '_testinternalcapi', 'test', 'concurrent',
  'turtle', 'turtledemo', 'lib2to3', 'pytest',
]);

/** The builtins among ESCAPE_NAMES: they need no import, so a bare name counts. */
export const ESCAPE_BUILTINS: ReadonlySet<string> = new Set(['exec', 'eval', 'compile', 'execfile', '__import__', 'globals', 'locals', 'vars', 'breakpoint', 'help']);

/** Names that must not be assigned to, item by item or whole (`os.environ['X'] = …`, `os.environ |= …`, `sys.path[:0] = …`, `sys.path = …`). */
export const WRITE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['os.environ', 'changes the environment of the process and its children'],
  ['sys.path', 'changes where imports load code from'],
  // Compiled modules are read from under this folder: a .pyc written there runs at the next import of its module.
  ['sys.pycache_prefix', 'changes where imports load compiled code from'],
  // A temporary directory's or file's clean-up deletes whatever path its attribute names.
  ['tempfile.**.name', 'changes what a temporary file\'s clean-up deletes'],
  // Round 18: what Slicer's DICOM processes run is an attribute: a DICOMCommand('img2dcm', …) told
  // `executable = '/bin/sh'`, a listener told another storescp or dcmdump (its reception hook is a shell command).
  ['**.*.executable', 'changes the program a process runner starts'],
  ['**.*.storescpExecutable', 'changes the program a process runner starts'],
  ['**.*.dcmdumpExecutable', 'changes the command a DICOM listener runs'],
]);

/**
 * Round 18: names that escape when handed around or subclassed rather than called: Slicer's DICOMCommand runs
 * a DCMTK tool named when it is made (switched-escapes.ts), but its base class's start(cmd, args) runs any
 * program, which `super(DICOMCommand, c).start(…)` or a subclass reaches.
 */
export const ESCAPE_VALUE_PATTERNS: ReadonlyArray<readonly [pattern: string, reason: string]> = [
  ['**.DICOMCommand', "handed around or subclassed, a DICOM process runner's start(cmd, args) runs any program"],
];

const VALUE_PATTERNS = ESCAPE_VALUE_PATTERNS.map(([name, reason]) => [compilePattern(name), reason] as const);
const VALUE_LAST_SEGMENTS: ReadonlySet<string> = new Set(ESCAPE_VALUE_PATTERNS.map(([name]) => name.split('.').at(-1)!));

/** The reason a name used as a value (not called) escapes under ESCAPE_VALUE_PATTERNS, or undefined. Shared with the references. */
export function valueEscape(segments: readonly string[]): string | undefined {
  if (!VALUE_LAST_SEGMENTS.has(segments[segments.length - 1]!)) return undefined;
  for (const [pattern, reason] of VALUE_PATTERNS) if (denyPatternMatches(pattern, segments)) return reason;
  return undefined;
}

/** Names whose value, handed around (`env = os.environ`, `f(os.environ)`), can be written where the guard cannot see. */
export const ESCAPE_VALUES: ReadonlyArray<readonly [name: string, reason: string]> = [
  ['os.environ', 'hands the process environment to code that may change it'],
  ['sys.path', 'hands the import path to code that may change it'],
];

/** Dunder attributes that reach nothing dangerous; every other `__x__` attribute escapes analysis. */
export const SAFE_DUNDER_ATTRIBUTES: ReadonlySet<string> = new Set([
  '__init__', '__name__', '__qualname__', '__doc__', '__module__', '__file__', '__version__', '__class__',
  '__len__', '__str__', '__repr__', '__format__', '__enter__', '__exit__', '__aenter__', '__aexit__',
  '__iter__', '__next__', '__aiter__', '__anext__', '__contains__', '__getitem__', '__setitem__', '__delitem__',
  '__eq__', '__ne__', '__lt__', '__le__', '__gt__', '__ge__', '__hash__', '__bool__', '__call__', '__new__', '__del__',
  '__add__', '__sub__', '__mul__', '__truediv__', '__floordiv__', '__mod__', '__pow__', '__neg__', '__abs__',
  '__float__', '__int__', '__index__', '__array__', '__annotations__', '__slots__', '__post_init__',
]);

/** Dunder names that may be read as plain names; every other `__x__` name (`__builtins__`, `__loader__`, …) escapes. */
export const SAFE_DUNDER_NAMES: ReadonlySet<string> = new Set(['__name__', '__file__', '__doc__', '__debug__', '__annotations__', '__version__']);

/** Attributes of frames, generators, coroutines, tracebacks and functions that lead to globals or code. */
export const INTERNAL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'f_globals', 'f_locals', 'f_builtins', 'f_back', 'f_code', 'gi_frame', 'gi_code', 'cr_frame', 'cr_code', 'ag_frame', 'ag_code',
  'tb_frame', 'tb_next', 'func_globals', 'func_code', 'co_code', 'im_func', 'im_self',
]);

/** Builtins that take an attribute name as a string: a constant is followed, a computed one escapes. */
export const ATTRIBUTE_BUILTINS: ReadonlySet<string> = new Set(['getattr', 'setattr', 'delattr']);

/** Namespaces whose members are the global names themselves: `builtins.exec` is `exec`, `__main__.slicer` is `slicer`. */
export const TRANSPARENT_ROOTS: ReadonlySet<string> = new Set(['builtins', '__builtin__', '__main__']);
