#!/usr/bin/env bash
# Packs every publishable workspace package (not "private") into one folder, after `npm run build`:
#   bash packaging/npm/pack.sh [out-dir]            default dist/npm
# Install them together, as a registry would serve them:
#   npm install -g dist/npm/*.tgz                   (or --prefix <dir> to try it out)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-dist/npm}
mkdir -p "$OUT"
rm -f "$OUT"/*.tgz
mapfile -t WORKSPACES < <(node -e '
  const { execSync } = require("node:child_process");
  const list = JSON.parse(execSync("npm query .workspace --json", { encoding: "utf8" }));
  for (const w of list) if (!w.private) console.log(w.location);
')
args=()
for w in "${WORKSPACES[@]}"; do args+=(-w "$w"); done
npm pack --silent --pack-destination "$OUT" "${args[@]}" >/dev/null
ls "$OUT"/*.tgz
