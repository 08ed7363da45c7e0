#!/usr/bin/env bash
# Counts, for `tessera index` of a folder into a new collection, a re-index with nothing changed and a
# text `tessera search`, how often each file under the collection is opened (strace openat) and how many
# ServiceLoader scans run (SlAgent: one line per ServiceLoader lookup started, i.e. per scan).
# usage: tools/measure-opens/measure.sh PICTURES_DIR OUT_DIR   (needs strace; cli/target/tessera.jar built)
# Pictures: ./tessera demo --images 20 --keep /tmp/x, then use /tmp/x/pictures (20 PNGs + captions.csv).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd); WT=$(cd "$HERE/../.." && pwd)
PICS=$(readlink -f "$1"); OUT=$2
JDK=$("$WT/bin/find-jdk")
rm -rf "$OUT"; mkdir -p "$OUT/agent/classes"
"$JDK/bin/javac" -d "$OUT/agent/classes" "$HERE/SlAgent.java"
printf 'Premain-Class: SlAgent\nCan-Retransform-Classes: true\n' >"$OUT/agent/manifest.txt"
"$JDK/bin/jar" cfm "$OUT/agent/slagent.jar" "$OUT/agent/manifest.txt" -C "$OUT/agent/classes" .
COL=$OUT/col.tessera
run() {
  local name=$1; shift
  strace -f -qq -e trace=openat,open -o "$OUT/$name.strace" \
    "$JDK/bin/java" -javaagent:"$OUT/agent/slagent.jar" --add-modules jdk.incubator.vector \
      --enable-native-access=ALL-UNNAMED -Dtessera.home="$WT" -jar "$WT/cli/target/tessera.jar" "$@" \
      >"$OUT/$name.out" 2>"$OUT/$name.err" || echo "$name exit $?" >>"$OUT/$name.out"
  {
    echo "== $name: successful opens under the collection (count path; C = collection)"
    grep -v ENOENT "$OUT/$name.strace" | grep -o "\"$COL[^\"]*\"" | sed "s|$COL|C|" | sort | uniq -c | sort -k2 || true
    echo "   opens of picture files: $(grep -v ENOENT "$OUT/$name.strace" | grep -c "\"$PICS/[^\"]*\.png\"" || true)"
    echo "   ServiceLoader scans (count service):"
    grep '^SL-SCAN' "$OUT/$name.err" | sort | uniq -c || true
  } >>"$OUT/summary.txt"
}
run index1 index "$PICS" --collection "$COL"
run index2 index "$PICS" --collection "$COL"
run search search --collection "$COL" --text "a red circle"
cat "$OUT/summary.txt"
