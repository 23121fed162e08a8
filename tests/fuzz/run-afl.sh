#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with afl++ and SharpFuzz (README "Fuzzing").
#   tests/fuzz/run-afl.sh y4m|datagram [SECONDS=600] [OUT=/tmp/aqs-afl-TARGET]
# Needs afl-fuzz (Debian: apt-get install afl++) and the SharpFuzz tool
# (dotnet tool install --tool-path /tmp/sharpfuzz-tool SharpFuzz.CommandLine --version 2.3.0).
# Crashes land in OUT/findings/default/crashes/; replay one with: dotnet OUT/bin/aqs-fuzz.dll TARGET FILE
set -euo pipefail
target="${1:?usage: run-afl.sh y4m|datagram [SECONDS] [OUT]}"
seconds="${2:-600}"
out="${3:-/tmp/aqs-afl-$target}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sharpfuzz="${SHARPFUZZ:-$(command -v sharpfuzz || echo /tmp/sharpfuzz-tool/sharpfuzz)}"
command -v afl-fuzz >/dev/null || { echo "run-afl.sh: afl-fuzz not found (apt-get install afl++)" >&2; exit 2; }
[ -x "$sharpfuzz" ] || { echo "run-afl.sh: sharpfuzz not found (dotnet tool install --tool-path /tmp/sharpfuzz-tool SharpFuzz.CommandLine)" >&2; exit 2; }
case "$target" in
  y4m) assembly=kernel-preprocess.dll ;;
  datagram) assembly=kernel-network.dll ;;
  *) echo "run-afl.sh: unknown target '$target' (y4m, datagram)" >&2; exit 2 ;;
esac

rm -rf "$out"; mkdir -p "$out"
dotnet build "$root/tests/fuzz/Aqs.Fuzz.csproj" -c Release -nologo -v q -clp:ErrorsOnly >/dev/null
# Instrument a copy: the build output stays as the suite uses it.
cp -r "$root/artifacts/bin/Aqs.Fuzz/release" "$out/bin"
"$sharpfuzz" "$out/bin/$assembly"
dotnet "$out/bin/aqs-fuzz.dll" seeds "$out/seeds"

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1
# -t: a .NET start-up on a loaded machine; -m none: the runtime reserves far more address space than afl's default.
afl-fuzz -V "$seconds" -t 10000 -m none -i "$out/seeds/$target" -o "$out/findings" -- dotnet "$out/bin/aqs-fuzz.dll" "$target" || true
stats="$out/findings/default/fuzzer_stats"
[ -f "$stats" ] && grep -E "^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg) " "$stats"
