#!/usr/bin/env bash
# Installs policylayer for the GitHub Action: PL_PACKAGE when given (an npm spec or a tarball),
# otherwise the action's own source (PL_SOURCE), built and packed, then `npm install -g` of the
# tarball, so the job runs the same package a user installs.
set -euo pipefail
if command -v policylayer >/dev/null 2>&1 && [ -z "${PL_PACKAGE:-}" ] && [ "${PL_REINSTALL:-}" != true ]; then
  echo "policylayer $(policylayer --version) is already installed"
  exit 0
fi
if [ -n "${PL_PACKAGE:-}" ]; then
  npm install --global --no-audit --no-fund "$PL_PACKAGE"
else
  work=$(mktemp -d)
  (cd "$PL_SOURCE" && npm ci --no-audit --no-fund --ignore-scripts && npm run build && npm pack --ignore-scripts --pack-destination "$work")
  npm install --global --no-audit --no-fund "$work"/policylayer-*.tgz
  rm -rf "$work"
fi
policylayer --version
