#!/usr/bin/env bash
# The long run of the parser fuzz tests (src/test/java/**/*Properties.java): every property tries SCALE times its CI
# budget (CI runs each with a few hundred examples). SCALE=200 takes a few minutes on one core.
# A failure prints the smallest falsifying input and "Seed was N"; replay it with
#   ./mvnw test -Dtest=<Class>#<method> -Dfuzz.scale=<same SCALE> -DQT_SEED=N
# Usage: bench/fuzz.sh            (SCALE=200 by default; TESTS='Utf8ValidatorProperties' to run some)
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=${SCALE:-200}
TESTS=${TESTS:-'*Properties'}
./mvnw -q -B test -Dtest="$TESTS" -Dfuzz.scale="$SCALE" -Dsurefire.failIfNoSpecifiedTests=false
echo "fuzz: every property passed at $SCALE times its CI budget"
