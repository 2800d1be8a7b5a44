"""python -m tests.regression refresh|check: rewrite the pinned values, or only show what moved."""
from __future__ import annotations

import sys

from . import FILE, compute, differences, document, fingerprint, load, write


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in ("refresh", "check"):
        print("usage: python -m tests.regression refresh|check", file=sys.stderr)
        return 2
    new = compute()
    old = load() if FILE.exists() else {"values": {}, "platform": {}}
    moved = differences(old["values"], new)
    if old.get("platform") != fingerprint():
        print(f"platform: {old.get('platform')} -> {fingerprint()}")
    print("\n".join(moved) if moved else "no value moved")
    print(f"{len(moved)} of {len(new)} values moved")
    if argv[0] == "refresh":
        write(document(new))
        print(f"wrote {FILE}")
        return 0
    return 1 if moved else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
