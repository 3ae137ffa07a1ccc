# The corpus for the parser comparison (docs/dev/python-parsers.md): run in a scratch folder.
# Builds corpus/valid (real files CPython 3.11 parses) and corpus/invalid (single mutations CPython rejects).
import ast, os, random, glob, shutil, sys, warnings
warnings.simplefilter('ignore')
random.seed(17)
roots = ['/usr/lib/python3.11', '/usr/lib/python3/dist-packages']
files = []
for root in roots:
    for p in glob.glob(root + '/**/*.py', recursive=True):
        if 'lib2to3/tests' in p or '/test/' in p: continue
        files.append(p)
files.sort()
shutil.rmtree('corpus', ignore_errors=True)
os.makedirs('corpus/valid'); os.makedirs('corpus/invalid')
valid = []
for p in files:
    try:
        src = open(p, encoding='utf-8').read()
    except Exception: continue
    if len(src) > 400_000 or len(src) == 0: continue
    try: ast.parse(src)
    except Exception: continue
    valid.append((p, src))
# The grammar-heavy files of CPython's own test suite, where this interpreter ships them.
import sysconfig
tests = os.path.join(sysconfig.get_paths()['stdlib'], 'test')
for name in ['test_grammar', 'test_patma', 'test_fstring', 'test_unicode_identifiers', 'test_tokenize', 'test_syntax', 'test_types',
             'test_typing', 'test_keywordonlyarg', 'test_positional_only_arg', 'test_named_expressions', 'test_decorators',
             'test_coroutines', 'test_asyncgen', 'test_exception_group', 'test_except_star', 'test_string_literals',
             'test_utf8source', 'test_unparse', 'test_ast']:
    path = os.path.join(tests, name + '.py')
    try:
        src = open(path, encoding='utf-8').read()
        ast.parse(src)
        valid.append((path, src))
    except Exception:
        pass
for i, (p, src) in enumerate(valid):
    open(f'corpus/valid/{i:04d}.py', 'w').write(src)
def mutate(src):
    lines = src.split('\n')
    cand = [i for i, l in enumerate(lines) if l.strip() and not l.strip().startswith('#')]
    if not cand: return src
    i = random.choice(cand); l = lines[i]
    kind = random.randrange(5)
    if kind == 0 and ':' in l and l.rstrip().endswith(':'): lines[i] = l.rstrip()[:-1]
    elif kind == 1 and ')' in l: j = l.rfind(')'); lines[i] = l[:j] + l[j+1:]
    elif kind == 2: lines[i] = '  ' + l if not l.startswith(' ') else l[1:]
    elif kind == 3: j = random.randrange(len(l)+1); lines[i] = l[:j] + random.choice([')', ']', '=', ':', ' def ', '"']) + l[j:]
    else: lines[i] = l + ' ' + random.choice(['import', 'return', '+', 'lambda', ',,'])
    return '\n'.join(lines)
n = 0; tries = 0
small = [v for v in valid if 200 < len(v[1]) < 40_000]
while n < 400 and tries < 5000:
    tries += 1
    p, src = random.choice(small)
    m = mutate(src)
    try: ast.parse(m); continue
    except SyntaxError: pass
    except Exception: continue
    # keep only a window of the file around to keep it quick
    open(f'corpus/invalid/{n:04d}.py', 'w').write(m); n += 1
# Newer syntax (3.12-3.14), checked with Pyodide's CPython 3.14 by measure.mjs' corpus/new set.
os.makedirs('corpus/new', exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))
for name in sorted(os.listdir(os.path.join(here, 'new-syntax'))):
    shutil.copy(os.path.join(here, 'new-syntax', name), os.path.join('corpus/new', name))
print(len(valid), 'valid,', n, 'invalid', sum(len(s) for _, s in valid) // 1024, 'KiB valid')
