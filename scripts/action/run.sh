#!/usr/bin/env bash
# The checks of the policylayer GitHub Action (action.yml), as a plain script so that it runs (and
# is tested) anywhere: GitLab CI, a shell, test/e2e/action.test.ts. Inputs come as environment
# variables; every check runs even when an earlier one fails, so the summary is complete, and the
# script exits 1 at the end if any failed (2 if one could not run at all).
#
#   PL_LINT_PATHS       files or folders to lint (default: the project policy)
#   PL_MAX_WARNINGS     fail when there are more warnings than this (default: warnings do not fail)
#   PL_TEST             auto (default: run when *.policytest.* files exist), true, or false
#   PL_TEST_PATHS       test files or folders (default: every *.policytest.* below the working folder)
#   PL_RECORDINGS       recordings to replay against the base branch's policy (default: no replay)
#   PL_POLICY           the policy replayed (default: policylayer.json/.yaml/.yml here)
#   PL_BASE_REF         the branch to compare with (GitHub: github.base_ref; empty: no replay)
#   PL_FAIL_ON_CHANGE   true (default) or false
#   PL_SARIF            where to write the SARIF file (default: $RUNNER_TEMP or /tmp, policylayer.sarif)
#   GITHUB_STEP_SUMMARY Markdown summary file (optional; otherwise the summary goes to the log)
#   POLICYLAYER         the command to run (default: policylayer)
set -uo pipefail

pl=${POLICYLAYER:-policylayer}
summary=${GITHUB_STEP_SUMMARY:-/dev/stdout}
sarif=${PL_SARIF:-${RUNNER_TEMP:-/tmp}/policylayer.sarif}
worst=0
note() { echo "$*" >>"$summary"; }
record() { local code=$1; if [ "$code" -gt "$worst" ]; then worst=$code; fi; }
read -r -a lint_paths <<<"${PL_LINT_PATHS:-}"
read -r -a test_paths <<<"${PL_TEST_PATHS:-}"
read -r -a recordings <<<"${PL_RECORDINGS:-}"

# 1. lint: SARIF for code scanning, annotations-free Markdown for the summary, stylish for the log.
max_warnings=()
if [ -n "${PL_MAX_WARNINGS:-}" ] && [ "${PL_MAX_WARNINGS}" != "-1" ]; then max_warnings=(--max-warnings "$PL_MAX_WARNINGS"); fi
echo "::group::policylayer lint"
$pl lint "${lint_paths[@]}" "${max_warnings[@]}" --no-color
lint_code=$?
echo "::endgroup::"
$pl lint "${lint_paths[@]}" --format sarif >"$sarif" 2>/dev/null
$pl lint "${lint_paths[@]}" "${max_warnings[@]}" --format markdown >>"$summary" 2>/dev/null
record "$lint_code"

# 2. test
run_tests=${PL_TEST:-auto}
if [ "$run_tests" = auto ]; then
  run_tests=false
  if [ ${#test_paths[@]} -gt 0 ] || [ -n "$(find . -path ./node_modules -prune -o \( -name '*.policytest.json' -o -name '*.policytest.yaml' -o -name '*.policytest.yml' \) -print -quit)" ]; then run_tests=true; fi
fi
if [ "$run_tests" = true ]; then
  echo "::group::policylayer test"
  $pl test "${test_paths[@]}" --no-color
  test_code=$?
  echo "::endgroup::"
  note ""
  $pl test "${test_paths[@]}" --format markdown >>"$summary" 2>/dev/null
  record "$test_code"
fi

# 3. replay the recordings under this branch's policy and the base branch's, and show what changes.
if [ ${#recordings[@]} -gt 0 ]; then
  note ""
  policy=${PL_POLICY:-}
  if [ -z "$policy" ]; then
    for candidate in policylayer.json policylayer.yaml policylayer.yml; do if [ -f "$candidate" ]; then policy=$candidate; break; fi; done
  fi
  if [ -z "${PL_BASE_REF:-}" ]; then
    note "ℹ️ policylayer replay: no base branch to compare with (not a pull request); skipped."
  elif [ -z "$policy" ]; then
    note "❌ policylayer replay: no policy to replay (set the policy input)."
    record 2
  else
    base_dir=$(mktemp -d)
    trap 'rm -rf "$base_dir"' EXIT
    base_policy="$base_dir/base-$(basename "$policy")"
    git fetch --quiet --depth=1 origin "$PL_BASE_REF" 2>/dev/null || true
    prefix=$(git rev-parse --show-prefix)
    if git show "origin/$PL_BASE_REF:$prefix$policy" >"$base_policy" 2>/dev/null || git show "$PL_BASE_REF:$prefix$policy" >"$base_policy" 2>/dev/null; then
      fail_on_change=()
      if [ "${PL_FAIL_ON_CHANGE:-true}" = true ]; then fail_on_change=(--fail-on-change); fi
      echo "::group::policylayer replay"
      $pl replay --policy "$policy" --against "$base_policy" "${fail_on_change[@]}" --no-color "${recordings[@]}"
      replay_code=$?
      echo "::endgroup::"
      $pl replay --policy "$policy" --against "$base_policy" "${fail_on_change[@]}" --format markdown "${recordings[@]}" 2>/dev/null | sed "s#$base_policy#$PL_BASE_REF:$policy#g" >>"$summary"
      record "$replay_code"
    else
      note "ℹ️ policylayer replay: $policy does not exist on $PL_BASE_REF (a new policy); nothing to compare."
    fi
  fi
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "sarif-file=$sarif" >>"$GITHUB_OUTPUT"; fi
exit "$worst"
