#!/usr/bin/env bash
# test_sources.sh - the rules of the layout that the compiler cannot check:
#   - only crypto/ includes <sodium.h>; crypto/ includes nothing of core/ or web/;
#   - only core/db.c includes <sqlite3.h> (SQL stays in core/);
#   - only web/ includes <microhttpd.h>; core/ includes no web/ header;
#   - no banned string functions (sprintf, strcpy, strcat, gets, strtok);
#   - every source file opens with a comment saying what it is for.
set -u
cd "${MELDPUNT_SOURCE_DIR:?run through ctest}"
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

for f in $(grep -l '#include <sodium.h>' core/*.[ch] web/*.[ch] 2>/dev/null); do
	bad "$f includes <sodium.h>; only crypto/ may"
done
for f in $(grep -l '#include <sqlite3.h>' crypto/*.[ch] web/*.[ch] core/*.[ch] 2>/dev/null); do
	[[ "$f" == core/db.c ]] || bad "$f includes <sqlite3.h>; only core/db.c may"
done
for f in $(grep -l '#include <microhttpd.h>' crypto/*.[ch] core/*.[ch] 2>/dev/null); do
	bad "$f includes <microhttpd.h>; only web/ may"
done
web_headers=$(cd web && ls *.h)
core_headers=$(cd core && ls *.h)
for h in $web_headers; do
	for f in $(grep -l "#include \"$h\"" core/*.[ch] crypto/*.[ch] 2>/dev/null); do
		bad "$f includes web/$h: dependencies point web -> core -> crypto"
	done
done
for h in $core_headers; do
	for f in $(grep -l "#include \"$h\"" crypto/*.[ch] 2>/dev/null); do
		bad "$f includes core/$h: crypto/ includes nothing of ours"
	done
done
if grep -nE '\b(sprintf|vsprintf|strcpy|strcat|gets|strtok)\s*\(' \
	core/*.[ch] crypto/*.[ch] web/*.[ch] tests/*.[ch]; then
	bad "banned string functions above: use struct buf or a bounded call"
fi
for f in core/*.[ch] crypto/*.[ch] web/*.[ch] tests/*.[ch]; do
	head -c 2 "$f" | grep -q '^/\*' || bad "$f does not open with a comment saying what it is for"
done
# The login, token, admin, registration and CLI actions audit in core
# (issue 14): their web files write no audit row themselves.
for f in web/page_auth.c web/page_admin.c web/page_tokens.c \
	web/page_register.c web/main.c; do
	if grep -nE '\baudit_append' "$f"; then
		bad "$f writes an audit row above: that is the core action's to do"
	fi
done

if [[ $fail -eq 0 ]]; then
	echo "source rules hold"
	exit 0
fi
echo "source rules broken: $fail"
exit 1
