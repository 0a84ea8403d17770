#!/bin/sh
# Instructions per login (valgrind cachegrind, every thread): the difference between a run
# of N1 and a run of N2 logins, divided by N2 - N1, so start-up and warm-up cancel out.
#   bench/tools/instructions.sh <dist dir> <ours|passport> <oauth2|oidc> [N1] [N2] [platform]
# e.g. bench/tools/instructions.sh .bench-dist ours oauth2 40 240
set -e
dist=$1; side=$2; mode=$3; n1=${4:-40}; n2=${5:-240}; platform=${6:-express}
ir() {
  valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
    node "$dist/bench/tools/profile-login.js" --side="$side" --mode="$mode" --platform="$platform" \
    --logins="$1" --warmup=40 --concurrency=1 2>&1 |
    sed -n 's/.*I *refs: *//p' | tr -d ','
}
a=$(ir "$n1")
b=$(ir "$n2")
echo "$dist $side $platform $mode: $(( (b - a) / (n2 - n1) )) instructions/login ($n1: $a, $n2: $b)"
