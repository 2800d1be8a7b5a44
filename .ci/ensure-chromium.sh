#!/usr/bin/env bash
# Makes Debian's chromium available for the HTML report's browser test (tests/output/test_report.py).
# Never fails itself: where chromium cannot be installed, that test is skipped and says why, except
# under CI (CI=true), where it fails (tests/conftest.py: missing), so CI cannot stay green without it.
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the report test (apt-get; about 30 s)..."
  if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1; then
    echo "could not install chromium: the report's browser test will be skipped (and fail under CI=true)"
  fi
else
  echo "chromium is not installed and this user cannot install it: the report's browser test will be skipped (and fail under CI=true)"
fi
exit 0
