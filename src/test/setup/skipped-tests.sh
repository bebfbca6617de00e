#!/bin/sh
# The build's last step (verify phase): names every test that surefire or failsafe skipped, with its reason
# (the files dev.edgesocket.testing.SkippedTests wrote under $1), and with CI=true fails the build on any.
set -eu
dir="$1"
[ -d "$dir" ] || exit 0
found=""
for f in "$dir"/*.txt; do
  [ -s "$f" ] && found="$found $f"
done
[ -n "$found" ] || exit 0
echo "Tests that did not run:"
# shellcheck disable=SC2086
cat $found
if [ "${CI-}" = true ]; then
  echo "CI=true: a skipped test is a failure (see above)." >&2
  exit 1
fi
