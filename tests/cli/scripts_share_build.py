#!/usr/bin/env python3
"""tools/demo.sh and tools/test.sh configure build/ with the same compile flags, so
tools/test.sh after tools/demo.sh reuses the demo's build instead of rebuilding everything
(issue 17 item 6). Test switches (DCSIM_BROWSER_TESTS) add tests, not compile flags."""
import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parents[2]
demo = (root / "tools" / "demo.sh").read_text()
test = (root / "tools" / "test.sh").read_text()

demo_line = next(l for l in demo.splitlines() if l.startswith("cmake -S . -B build "))
demo_flags = set(re.findall(r"-D[A-Z_]+=[A-Za-z0-9]+", demo_line))
test_line = next(l for l in test.splitlines() if l.startswith('cmake -S . -B "$build_dir"'))
default_args = re.search(r"^cmake_args=\((.*)\)$", test, re.M).group(1)
test_flags = set(re.findall(r"-D[A-Z_]+=[A-Za-z0-9]+", test_line + " " + default_args))
test_flags = {f for f in test_flags if not f.startswith("-DDCSIM_BROWSER_TESTS=")}
if not re.search(r"^build_dir=build$", test, re.M):
    sys.exit("tools/test.sh does not build in build/ by default")
if demo_flags != test_flags:
    sys.exit(f"tools/demo.sh configures build/ with {sorted(demo_flags)}, tools/test.sh with {sorted(test_flags)}: "
             "the second would rebuild everything")
print("demo.sh and test.sh share build/ with", sorted(demo_flags))
