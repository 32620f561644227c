#!/bin/sh
# Runs the test suite with node's built-in runner (TypeScript through tsx).
#   sh scripts/test.sh        unit + end-to-end
#   sh scripts/test.sh unit   unit tests only (src/**/*.test.ts, test/unit)
#   sh scripts/test.sh e2e    end-to-end tests only (test/e2e, real kubectl/openssl)
set -e
cd "$(dirname "$0")/.."
npm run build --silent
which=${1:-all}
files=""
if [ "$which" = all ] || [ "$which" = unit ]; then
  files="$files $(find src test/unit -name '*.test.ts' 2>/dev/null | sort)"
fi
if [ "$which" = all ] || [ "$which" = e2e ]; then
  files="$files $(find test/e2e -name '*.test.ts' 2>/dev/null | sort)"
fi
exec node --import tsx --test --test-concurrency=1 $files
