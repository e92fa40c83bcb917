#!/usr/bin/env bash
# test_service_files.sh - `cmake --install` puts the program, the systemd
# unit, the schema and the documentation in the usual places, and the unit
# keeps its sandboxing (and passes systemd-analyze verify when present).
set -u
: "${MELDPUNT_BIN:?run through ctest}" "${MELDPUNT_SOURCE_DIR:?}"
build=$(dirname "$MELDPUNT_BIN")
tmp=$(mktemp -d "${MELDPUNT_TEST_TMP:-/tmp}/install-XXXXXX" 2>/dev/null || mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

cmake --install "$build" --prefix "$tmp/usr" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; bad "cmake --install failed"; }
for f in usr/bin/meldpunt usr/lib/systemd/system/meldpunt.service \
	usr/share/meldpunt/schema/migrations/0001_init.sql \
	usr/share/doc/meldpunt/README.md; do
	[[ -e "$tmp/$f" ]] || bad "$f not installed"
done
[[ -x "$tmp/usr/bin/meldpunt" ]] && "$tmp/usr/bin/meldpunt" --version >/dev/null ||
	bad "the installed program does not run"

unit="$MELDPUNT_SOURCE_DIR/scripts/meldpunt.service"
for want in '^User=meldpunt$' '^StateDirectory=meldpunt$' '^ProtectSystem=strict$' \
	'^PrivateTmp=yes$' '^NoNewPrivileges=yes$' '^ProtectHome=yes$' \
	'^KillSignal=SIGTERM$' '^ExecReload=/bin/kill -HUP \$MAINPID$' \
	'^ExecStart=meldpunt --config /etc/meldpunt/meldpunt.ini serve$'; do
	grep -qE "$want" "$unit" || bad "unit lacks $want"
done
if command -v systemd-analyze >/dev/null; then
	# Verify a copy that points at the installed program.
	sed "s|^ExecStart=meldpunt |ExecStart=$tmp/usr/bin/meldpunt |" "$unit" \
		>"$tmp/meldpunt.service"
	out=$(systemd-analyze verify "$tmp/meldpunt.service" 2>&1 |
		grep -v -e 'Failed to .* bus' -e 'System has not been booted' \
		        -e 'network-online.target' -e '^$' -e 'Cannot add dependency')
	[[ -z "$out" ]] || { echo "$out"; bad "systemd-analyze verify complains"; }
fi

if [[ $fail -eq 0 ]]; then
	echo "install layout and unit ok"
	exit 0
fi
exit 1
