#!/usr/bin/env bash
# test_no_forwarded.sh - Meldpunt never reads a client address from a
# proxy header (X-Forwarded-For, Forwarded, X-Real-IP, ...): behind a
# reverse proxy no reporter's address can reach it, whatever the proxy
# sends (README, "Behind a reverse proxy"; SECURITY.md).
set -u
cd "${MELDPUNT_SOURCE_DIR:?run through ctest}"
if grep -rniE 'x-forwarded|"forwarded"|x-real-ip|x-client-ip|true-client-ip|cf-connecting-ip' \
	core/*.[ch] web/*.[ch]; then
	echo "FAIL: code above reads a forwarded client address"
	exit 1
fi
echo "no forwarded-address headers are read"
