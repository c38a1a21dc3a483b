#!/usr/bin/env bash
# Fails when the committed generated code differs from a fresh `npm run codegen`.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent codegen > /dev/null
if ! git diff --quiet --exit-code -- 'subgraphs/*/src/generated/*' partner-client/src/generated web/src/generated schema/operations || [ -n "$(git ls-files --others --exclude-standard -- 'subgraphs/*/src/generated/*' partner-client/src/generated web/src/generated schema/operations)" ]; then
  echo "Generated code is out of date: run \`npm run codegen\` and commit the result." >&2
  git --no-pager diff --stat -- 'subgraphs/*/src/generated/*' partner-client/src/generated web/src/generated schema/operations >&2
  exit 1
fi
echo "Generated code matches a fresh codegen run."
