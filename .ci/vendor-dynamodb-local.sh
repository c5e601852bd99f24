#!/usr/bin/env bash
# Unpacks AWS's DynamoDB Local (the Java emulator) into .vendor/dynamodb-local, for the second
# run of the DynamoDB integration suite. It ships inside the amplify-dynamodb-simulator npm
# package; only its emulator/ folder is kept (the package itself is never installed).
set -euo pipefail
cd "$(dirname "$0")/.."
target=.vendor/dynamodb-local
if [[ -f "$target/DynamoDBLocal.jar" ]]; then
  echo "DynamoDB Local already in $target"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent amplify-dynamodb-simulator@2.9.30 >/dev/null)
tar -xzf "$work"/amplify-dynamodb-simulator-2.9.30.tgz -C "$work" package/emulator
mkdir -p .vendor
rm -rf "$target"
mv "$work/package/emulator" "$target"
echo "DynamoDB Local unpacked into $target"
