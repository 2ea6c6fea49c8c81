#!/usr/bin/env bash
# Refits the built-in answer-confidence model (src/Query/Answering/confidence-model.json) in one command: evaluates
# each dataset on a fresh store with the current extraction, fits `graphrag calibrate` over the reports (every dataset
# weighs the same; the refusal threshold is chosen from the fit), writes the model and rebuilds so it is embedded.
# Usage: scripts/refit-confidence.sh [dataset-dir ...]   (default: samples, samples/single-hop and the two development sets)
# Keeps the reports and stores in $WORK (default: a new temporary folder) and prints where; MODEL names another file
# to write the model to (then nothing is rebuilt and the built-in model is untouched).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -eq 0 ]; then
  set -- samples samples/single-hop ../shared/datasets/musique-100 ../shared/datasets/hotpotqa-100
fi
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
dotnet build src/Api/GraphRag.Api.csproj -c Release -v q --nologo
graphrag() { dotnet run --no-build -c Release --project src/Api/GraphRag.Api.csproj -- "$@"; }
reports=()
for dataset in "$@"; do
  name=$(basename "$dataset")
  rm -f "$work/$name.db" "$work/$name.db.index"
  graphrag eval "$dataset" --db "$work/$name.db" --out "$work/$name.json"
  reports+=("$work/$name.json")
done
model=${MODEL:-src/Query/Answering/confidence-model.json}
graphrag calibrate "${reports[@]}" --out "$model"
if [ -z "${MODEL:-}" ]; then
  dotnet build src/Api/GraphRag.Api.csproj -c Release -v q --nologo
fi
echo "reports and stores in $work; the new model is $model (review the figures above, then commit it)"
