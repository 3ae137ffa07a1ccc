#!/usr/bin/env python3
"""Turns the ```python blocks of Markdown files into a policy test file (every block expected to be
allowed), to measure a Python guard on real scripts it was not written from, for example 3D Slicer's
script repository (Docs/developer_guide/script_repository/*.md in Slicer's repository):

    python3 scripts/python-guard/markdown-to-policytest.py POLICY OUT.policytest.json FILE.md...
    policylayer test OUT.policytest.json --format json   # the failures are the blocks it denies

Each case is named FILE#N followed by the heading above the block; `explain` a failed case for the
line and column that decided. Standard library only.
"""
import json
import os
import re
import sys

BLOCK = re.compile(r"```(?:python|py)[ \t]*\n(.*?)```", re.S)
HEADING = re.compile(r"^#+ (.*)$", re.M)


def main(policy, out, files):
    cases = []
    for path in files:
        text = open(path, encoding="utf-8").read()
        stem = os.path.splitext(os.path.basename(path))[0]
        for index, block in enumerate(BLOCK.finditer(text)):
            headings = HEADING.findall(text[: block.start()])
            name = f"{stem}#{index} {headings[-1] if headings else ''}".strip()[:120]
            cases.append({"name": name, "tool": "execute_python_code", "args": {"code": block.group(1)}, "expect": "allow"})
    document = {"description": "Python blocks of " + ", ".join(os.path.basename(f) for f in files), "policy": os.path.relpath(policy, os.path.dirname(os.path.abspath(out))), "cases": cases}
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=1)
    print(f"{len(cases)} blocks from {len(files)} files -> {out}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
