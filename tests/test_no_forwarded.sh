#!/usr/bin/env bash
# test_no_forwarded.sh - a client address comes in through a proxy only
# where SECURITY.md promise 20 says: X-Forwarded-For is read by
# web/client.c alone, and only from a peer listed in [server]
# trusted_proxy (test_client shows it is ignored from any other peer and
# without the key, and that it reaches no log or column); no other
# forwarded-address header (Forwarded, X-Real-IP, ...) is read anywhere
# (README, "Behind a reverse proxy").
set -u
cd "${MELDPUNT_SOURCE_DIR:?run through ctest}"
fail=0
if grep -rniE '"forwarded"|x-real-ip|x-client-ip|true-client-ip|cf-connecting-ip|x-cluster-client-ip' \
	core/*.[ch] web/*.[ch]; then
	echo "FAIL: code above reads a forwarded client address"
	fail=1
fi
others=$(grep -rliE 'x-forwarded' core/*.[ch] web/*.[ch] | grep -vx 'web/client.[ch]')
if [[ -n "$others" ]]; then
	echo "FAIL: X-Forwarded-For is read outside web/client.c: $others"
	fail=1
fi
# web/client.c reads it only after asking whether the peer is trusted.
if ! grep -q 'trusted(p, &peer) &&' web/client.c; then
	echo "FAIL: web/client.c reads X-Forwarded-For without checking the peer"
	fail=1
fi
[[ $fail == 0 ]] && echo "only web/client.c reads X-Forwarded-For, from trusted proxies"
exit $fail
