# The reference for test/python/differential.test.ts: CPython's own parser (ast) on each source.
# Reads a JSON list of sources on stdin; writes, for each, whether it parses and, if it does, every
# identifier in it and the dotted name of every call whose callee is a name or a chain of attributes.
import ast, json, sys, warnings

warnings.simplefilter("ignore")


def dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def identifiers(tree):
    found = set()
    for node in ast.walk(tree):
        for field in ("id", "attr", "name", "asname", "arg", "module", "rest"):
            value = getattr(node, field, None)
            if isinstance(value, str) and value != "*":
                # Module names and the names of `import a.b` are dotted; tree-sitter sees each part.
                found.update(value.split("."))
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            found.update(node.names)
        if isinstance(node, ast.MatchClass):
            found.update(node.kwd_attrs)
    return found


out = []
for source in json.load(sys.stdin):
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        out.append({"parses": False})
        continue
    calls = [d for d in (dotted(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)) if d]
    out.append({"parses": True, "identifiers": sorted(identifiers(tree)), "calls": sorted(calls)})
json.dump(out, sys.stdout)
