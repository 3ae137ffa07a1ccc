/**
 * A module the guard denies, reached as an attribute of another module (found probing the strict
 * profile, round 15): `email.utils.socket` is the socket module email.utils imported, and
 * `setuptools._distutils` is distutils. One-segment deny_modules entries count anywhere after the
 * first segment of a chain of modules (an import, or names reached from one without a call), read as
 * public names; not on objects (`self.requests`) or names with no import behind them.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { STRICT_PYTHON_GUARD } from '../../src/catalog/python-guard-profile.js';
import { checkPython, compileGuard, loadPythonParser } from '../../src/python/index.js';
import { compilePattern, moduleWithinChain } from '../../src/python/names.js';

const strict = compileGuard(STRICT_PYTHON_GUARD);
const verdict = (code: string) => checkPython(strict, code);

beforeAll(async () => {
  await loadPythonParser();
});

describe('a denied module reached as another module’s attribute', () => {
  const within = (pattern: string, name: string) => moduleWithinChain(compilePattern(pattern), name.split('.'));
  it('is matched after the first segment, private names read as public', () => {
    expect(within('socket', 'email.utils.socket.gethostbyname')).toBe(true);
    expect(within('distutils', 'setuptools._distutils.ccompiler')).toBe(true);
    expect(within('socket', 'socket.socket')).toBe(true);
    expect(within('socket', 'socketserver')).toBe(false);
    expect(within('socket', 'qt.QTcpSocket')).toBe(false);
    expect(within('os.path', 'x.os.path')).toBe(false); // dotted entries already match within chains
  });
  it('counts on module chains only, not on objects or free names', () => {
    expect(verdict('import email.utils\nemail.utils.socket.socket()')).toBeDefined();
    expect(verdict("from setuptools._distutils.ccompiler import new_compiler\nnew_compiler().spawn(['sh', '-c', 'id'])")?.reason).toMatch(/distutils/);
    expect(verdict('class Client:\n    def close(self):\n        self.requests = []\nClient().close()')).toBeUndefined();
  });
});

describe('with a guard that denies a module by one segment', () => {
  const guard = compileGuard({ deny_modules: ['socket'], deny_calls: [] });
  it('flags the module wherever an imported chain reaches it, and an import of a submodule of that name', () => {
    expect(checkPython(guard, 'import logging.handlers\nlogging.handlers.socket.gethostbyname("x")')?.reason).toMatch(/reaches socket/);
    expect(checkPython(guard, 'import gevent.socket')?.reason).toMatch(/which is socket/);
    expect(checkPython(guard, 'import logging.handlers\nlogging.handlers.SocketHandler')).toBeUndefined();
  });
  it('leaves an allow-listed chain alone', () => {
    const allowing = compileGuard({ deny_modules: ['socket'], allow_modules: ['logging', 'logging.handlers.socket'] });
    const broadly = compileGuard({ deny_modules: ['socket'], allow_modules: ['logging'] });
    expect(checkPython(broadly, 'import logging.handlers\nlogging.handlers.socket.gethostname()')?.reason).toMatch(/reaches socket/);
    expect(checkPython(allowing, 'import logging.handlers\nlogging.handlers.socket.gethostname()')).toBeUndefined();
  });
});

const hasPython = spawnSync('python3', ['-c', 'import sys'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!hasPython)('against CPython: every module attribute that is a denied module', () => {
  // One-segment deny_modules entries of the strict profile; CPython lists, over these standard-library
  // modules, each attribute that is one of them (by its public name: `_socket` is socket).
  const denied = STRICT_PYTHON_GUARD.deny_modules!.filter((m) => !m.includes('.'));
  const MODULES = [
    'email.utils', 'logging.handlers', 'http.server', 'asyncio', 'asyncio.subprocess', 'asyncio.base_events', 'imaplib', 'smtplib',
    'ftplib', 'xmlrpc.client', 'urllib.request', 'socketserver', 'ssl', 'webbrowser', 'multiprocessing.connection', 'ctypes.util',
    'uuid', 'platform', 'pydoc', 'venv', 'ensurepip', 'mimetypes', 'xml.sax.saxutils', 'concurrent.futures.process', 'poplib',
  ];
  const script = [
    'import importlib, json, sys, types',
    `denied = set(${JSON.stringify(denied)})`,
    'found = []',
    `for name in ${JSON.stringify(MODULES)}:`,
    '    try:',
    '        module = importlib.import_module(name)',
    '    except Exception:',
    '        continue',
    '    for attr in dir(module):',
    '        value = getattr(module, attr, None)',
    '        if isinstance(value, types.ModuleType) and value.__name__.split(".")[-1].lstrip("_") in denied:',
    '            found.append([name, attr])',
    'print(json.dumps(found))',
  ].join('\n');
  const found = JSON.parse(spawnSync('python3', ['-W', 'ignore', '-c', script], { encoding: 'utf8' }).stdout || '[]') as Array<[string, string]>;

  it('finds some (the oracle is not vacuous)', () => {
    expect(found.length).toBeGreaterThan(10);
  });
  it('the guard flags each, reached from its module', () => {
    for (const [module, attr] of found) {
      const code = `import ${module}\n${module}.${attr}.anything('x')`;
      expect(verdict(code), code).toBeDefined();
    }
  });
});
