#!/usr/bin/env bash
# What one more Python context costs (live heap, time to make) with the given imports, on a shared engine as the
# server's, outside the server (bench/README.md, "Memory", fifth session).
#
#   bench/context-memory.sh ['python source' ...]     (default: the prelude's imports, then with logging added)
#
# Builds the jar if needed (./cococloud build), takes GraalPy's jars from it and compiles bench/context_memory.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f app/target/cococloud.jar ] || ./cococloud build >&2
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
work=$(mktemp -d /tmp/cococloud-context-memory-XXXXXX)
trap 'rm -rf "$work"' EXIT
unzip -q -o -j app/target/cococloud.jar 'BOOT-INF/lib/*.jar' -d "$work/lib"
"${java_bin%java}javac" -nowarn -d "$work/classes" -cp "$work/lib/*" bench/context_memory/ContextMemory.java
prelude="import collections, collections.abc, io, functools, importlib.machinery, itertools, json, marshal, math, re, sys, time, types, datetime, operator, os"
[ $# -gt 0 ] || set -- "pass" "$prelude" "$prelude, linecache" "$prelude, logging"
for code in "$@"; do
  "$java_bin" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:+UseCompactObjectHeaders \
    -cp "$work/lib/*:$work/classes" ContextMemory "$code" 2>/dev/null | tail -n1
done
