#!/usr/bin/env bash
# test_suite_log.sh - runs after every other test (ctest fixture cleanup)
# and searches the logs of every server the suite started for the test
# clients' address and user agents. SECURITY.md promises that no client
# address or user agent of a reporter is logged anywhere; the suite's
# clients are all on 127.0.0.x with known user agents (test_client
# forwards 192.0.2.x through a trusted proxy).
set -u
dir="${MELDPUNT_TEST_TMP:?run through ctest}"
log="$dir/suite-server.log"
shopt -s nullglob
logs=()
[[ -s "$log" ]] && logs+=("$log")
for f in "$dir"/browser/*.log; do
	logs+=("$f")
done
# A run of only some tests may start no server (suite_log_reset cleared
# the last run's logs): nothing to search, so skipped (77), not passed.
# scripts/check makes sure the whole suite did leave a log to search.
if [[ ${#logs[@]} -eq 0 ]]; then
	echo "SKIP: no server ran in this run: no log to search under $dir"
	exit 77
fi
lines=$(cat "${logs[@]}" | wc -l)
found=0
for needle in '127.0.0.' '192.0.2.' '::1' 'meldpunt-test-agent' 'HeadlessChrome' \
	'Mozilla/' 'curl/' 'intranet.example'; do
	if grep -q -F -- "$needle" "${logs[@]}"; then
		grep -F -n -- "$needle" "${logs[@]}" | head -5
		echo "FAIL: the server logs contain '$needle'"
		found=1
	fi
done
if [[ $found -eq 0 ]]; then
	echo "searched $lines log lines of the whole suite: no client address or user agent"
	exit 0
fi
exit 1
