#!/usr/bin/env bash
# test_suite_log.sh - runs after every other test (ctest fixture cleanup)
# and searches the logs of every server the suite started for the test
# clients' address and user agents. SECURITY.md promises that no client
# address or user agent of a reporter is logged anywhere; the suite's
# clients are all on 127.0.0.1 with known user agents.
set -u
dir="${MELDPUNT_TEST_TMP:?run through ctest}"
log="$dir/suite-server.log"
shopt -s nullglob
logs=()
[[ -s "$log" ]] && logs+=("$log")
for f in "$dir"/browser/*.log; do
	logs+=("$f")
done
if [[ ${#logs[@]} -eq 0 ]]; then
	echo "FAIL: no server log was kept under $dir: the search would prove nothing"
	exit 1
fi
lines=$(cat "${logs[@]}" | wc -l)
found=0
for needle in '127.0.0.1' '::1' 'meldpunt-test-agent' 'HeadlessChrome' \
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
