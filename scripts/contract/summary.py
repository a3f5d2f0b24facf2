"""Counts the cases schemathesis ran, per role and check, from its NDJSON event files."""

import collections
import json
import os
import sys

counts = collections.Counter()
failures = collections.Counter()
roles = set()
checks = set()
for path in sys.argv[1:]:
    role = os.path.basename(path).split("-")[0]
    roles.add(role)
    with open(path) as events:
        for line in events:
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            if not finished:
                continue
            for results in finished["recorder"].get("checks", {}).values():
                for result in results:
                    checks.add(result["name"])
                    counts[(role, result["name"])] += 1
                    if result["status"] != "success":
                        failures[(role, result["name"])] += 1

roles = [r for r in ("anonymous", "member", "moderator", "committee") if r in roles]
width = max(len(c) for c in checks) if checks else 10
print("\nCases checked, per role (failures in brackets):")
print(" " * width + "".join(f"{r:>12}" for r in roles))
for check in sorted(checks):
    cells = []
    for role in roles:
        cell = str(counts[(role, check)])
        if failures[(role, check)]:
            cell += f" [{failures[(role, check)]}]"
        cells.append(f"{cell:>12}")
    print(f"{check:<{width}}" + "".join(cells))
print(f"{'total':<{width}}" + "".join(f"{sum(counts[(r, c)] for c in checks):>12}" for r in roles))
