#!/usr/bin/env bash
# test_security_table.sh - SECURITY.md's table "What a copy of the
# database, a backup and the server log show" names every column of every
# table of a new installation, and no column that is not there: a column
# added without saying what a copy of it shows fails here.
set -u
src="${MELDPUNT_SOURCE_DIR:?run through ctest}"
bin="${MELDPUNT_BIN:?run through ctest}"
tmp=$(mktemp -d "${MELDPUNT_TEST_TMP:-/tmp}/security-table-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$bin" --data "$tmp/data" init >/dev/null 2>&1 || { echo "FAIL: init"; exit 1; }
sqlite3 "file:$tmp/data/meldpunt.db?mode=ro" \
	"SELECT m.name || '.' || p.name FROM sqlite_master m,
	 pragma_table_info(m.name) p WHERE m.type = 'table'
	 AND m.name NOT LIKE 'sqlite_%'" | LC_ALL=C sort >"$tmp/schema"
sed -n '/^## What a copy of the database/,/^## /p' "$src/SECURITY.md" |
	sed -n 's/^| `\([a-z_]*\.[a-z_]*\)` |.*/\1/p' | LC_ALL=C sort >"$tmp/table"
[[ -s "$tmp/schema" && -s "$tmp/table" ]] || { echo "FAIL: nothing read"; exit 1; }
fail=0
while read -r col; do
	echo "FAIL: column $col is not in SECURITY.md's table"; fail=1
done < <(LC_ALL=C comm -23 "$tmp/schema" "$tmp/table")
while read -r col; do
	echo "FAIL: SECURITY.md's table names $col, which no table has"; fail=1
done < <(LC_ALL=C comm -13 "$tmp/schema" "$tmp/table")
dups=$(uniq -d "$tmp/table")
[[ -z "$dups" ]] || { echo "FAIL: named twice: $dups"; fail=1; }
[[ $fail -eq 0 ]] && echo "SECURITY.md's table lists all $(wc -l <"$tmp/schema") columns"
exit $fail
