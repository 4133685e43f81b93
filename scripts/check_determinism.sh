#!/usr/bin/env bash
# `make check-determinism`: two cold builds must give identical figure data and ledger.
# Hashes every file in _build/figures (PDF, PNG, provenance JSON) and _build/claims.json after
# each build from scratch (`make clean && make book`) and compares the two lists.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
for run in 1 2; do
  make clean >/dev/null
  make book >"$out/build$run.log" 2>&1 || { echo "build $run failed; log: $out/build$run.log" >&2; exit 1; }
  (cd _build && sha256sum figures/* claims.json) >"$out/hashes$run.txt"
  echo "build $run: $(wc -l <"$out/hashes$run.txt") files hashed"
done
if diff -u "$out/hashes1.txt" "$out/hashes2.txt"; then
  echo "deterministic: figure data and ledger are identical across two cold builds"
else
  echo "NOT deterministic: the files above differ between two cold builds" >&2
  exit 1
fi
