#!/usr/bin/env bash
# test_sources.sh - the rules of the layout that the compiler cannot check:
#   - only crypto/ includes <sodium.h>; crypto/ includes nothing of core/ or web/;
#   - only core/db.c includes <sqlite3.h> (SQL stays in core/);
#   - only web/ includes <microhttpd.h>; core/ includes no web/ header;
#   - only core/pdf.c includes cairo, pango or glib headers (one module
#     whose buffers of case text are wiped, pdf.h);
#   - web/ in layers without a circle (see below); no api*.c includes a page's
#     header; no web/ file includes a crypto/ header (core/keys.h offers
#     what web/ needs);
#   - the build bans sprintf, strcpy, atoi and the like: compat/banned.h is
#     forced into every file CMake and bench/run compile, and bans each
#     function the ctest "banned" probes (that test shows the ban works);
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
for f in $(grep -lE '#include <(cairo|pango|glib)' crypto/*.[ch] core/*.[ch] web/*.[ch] 2>/dev/null); do
	[[ "$f" == core/pdf.c ]] || bad "$f includes cairo, pango or glib; only core/pdf.c may"
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
# web/ in layers, each using only its own and those below it:
#   1 the base: the request API (request.h), the layout and the error page,
#     html, i18n, sessions, widgets, paths.h ... everything not named below;
#   2 the pages and the API (page_*, pages, api*, shared.h);
#   3 the route table (routes.c, routes.h);
#   4 the transport (server.c, server.h);
#   5 the program (main.c).
# A file includes no header of a higher layer, and every function a header
# declares is defined in a file of its layer or below: so the request API
# cannot live in server.c again (server -> routes -> pages -> layout ->
# server was the circle), nor a base file reach a page for a helper.
web_layer() {
	case "$1" in
	main.c) echo 5 ;;
	server.c | server.h) echo 4 ;;
	routes.c | routes.h) echo 3 ;;
	page_*.[ch] | pages.[ch] | api.[ch] | api_*.c | shared.h) echo 2 ;;
	*) echo 1 ;;
	esac
}
for f in web/*.[ch]; do
	fl=$(web_layer "${f#web/}")
	for h in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
		[[ -f "web/$h" ]] || continue
		hl=$(web_layer "$h")
		((hl > fl)) && bad "$f (layer $fl) includes web/$h (layer $hl): web/ depends downwards only"
	done
done
for h in web/*.h; do
	hl=$(web_layer "${h#web/}")
	for fn in $(grep -oE '^[A-Za-z][^(;=]*[ *][a-z_][a-z0-9_]*\(' "$h" |
	            sed -E 's/.*[ *]([a-z_][a-z0-9_]*)\($/\1/' | sort -u); do
		for d in $(grep -l "^$fn(" web/*.c 2>/dev/null); do
			dl=$(web_layer "${d#web/}")
			((dl > hl)) && bad "$fn of $h (layer $hl) is defined in $d (layer $dl): move it down"
		done
	done
done
for f in web/api*.c; do
	grep -n '#include "page_[a-z_]*\.h"' "$f" /dev/null &&
		bad "$f includes a page's header: what both use belongs in web/shared.h or core/"
done
crypto_headers=$(cd crypto && ls *.h)
for h in $crypto_headers; do
	for f in $(grep -l "#include \"$h\"" web/*.[ch] 2>/dev/null); do
		bad "$f includes crypto/$h: web/ reaches crypto/ through core/ (core/keys.h)"
	done
done
# shellcheck disable=SC2016
grep -qF -- '-include ${PROJECT_SOURCE_DIR}/compat/banned.h' CMakeLists.txt ||
	bad "CMakeLists.txt does not force compat/banned.h into every file"
grep -qF -- '-include compat/banned.h' bench/run ||
	bad "bench/run does not force compat/banned.h into the programs it builds"
banned=$(sed -n '/^set(BANNED_FUNCTIONS/,/)/p' tests/CMakeLists.txt |
	sed 's/set(BANNED_FUNCTIONS//; s/)//')
for f in sprintf vsprintf strcpy strcat strncpy strncat atoi atol atoll gets strtok; do
	[[ " $(echo $banned) " == *" $f "* ]] ||
		bad "tests/CMakeLists.txt BANNED_FUNCTIONS does not probe $f"
done
for f in $banned; do
	grep -qE "^#define $f\(" compat/banned.h ||
		bad "compat/banned.h does not ban $f"
done
for f in compat/*.h core/*.[ch] crypto/*.[ch] web/*.[ch] tests/*.[ch]; do
	head -c 2 "$f" | grep -q '^/\*' || bad "$f does not open with a comment saying what it is for"
done
# Every action audits in core (issue 14): no web file writes an audit
# row or prepares SQL; pages and API call the action (web may read what
# an action answers, such as struct audit_check).
for f in web/*.[ch]; do
	if grep -nE '\baudit_(append|checkpoint)|\bdb_(prepare|begin|exec|join)\(' "$f"; then
		bad "$f audits or speaks SQL above: that is the core action's to do"
	fi
done

# A response body may hold opened content: it is handed to libmicrohttpd
# only with buf_wiped_free as its free callback (SECURITY.md 9), never to
# be freed unwiped.
if grep -nE 'MHD_RESPMEM_MUST_FREE|MHD_create_response_from_buffer\s*\(' web/*.c; then
	bad "a response body above is freed unwiped: use buf_detach_block and buf_wiped_free"
fi

if [[ $fail -eq 0 ]]; then
	echo "source rules hold"
	exit 0
fi
echo "source rules broken: $fail"
exit 1
