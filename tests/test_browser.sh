#!/usr/bin/env bash
# test_browser.sh - the browser test (tests/browser/run.mjs): every page and
# flow in headless Chromium with axe-core, against the real server. Needs
# node and the npm packages (scripts/deps runs npm ci). Bounded: at most
# 280 s (under ctest's 300): the ASan build on this shared 2-core machine
# takes over two minutes.
set -u
cd "${MELDPUNT_SOURCE_DIR:?run through ctest}"
if [[ ! -d node_modules/playwright-core || ! -d node_modules/axe-core ]]; then
	echo "FAIL: node_modules is missing: run scripts/deps (npm ci)"
	exit 1
fi
exec timeout --kill-after=5 280 node tests/browser/run.mjs "$@"
