#!/usr/bin/env python3
"""Checks dashboard.json files against the official Cloud Monitoring Dashboard API types.

Usage: check-dashboard.py DASHBOARD.json...   check each file
       check-dashboard.py --self-test          prove the check rejects broken dashboards

Each file must parse strictly as google.monitoring.dashboard.v1.Dashboard with the types from
google-cloud-monitoring-dashboards (PyPI; pinned in tests/requirements.txt):
- `Dashboard.from_json(text, ignore_unknown_fields=False)`: an unknown field, a wrong type or
  an unknown enum name fails;
- every enum field holds a value its enum defines (JSON also accepts enum numbers, and the
  parser keeps unknown ones);
- `displayName` is set and there is a layout;
- every alert chart names a policy: `projects/P/alertPolicies/ID` (the API's format), or
  multirun's placeholder `@ALERT_POLICY:KEY@`, which deploy.sh and Terraform replace. Next to a
  rendered output's `monitoring/` directory, KEY must be the `multirun_policy` label of one of
  its alert policy files.
"""

import glob
import json
import os
import re
import sys

from google.cloud.monitoring_dashboard_v1 import types
from google.protobuf.descriptor import FieldDescriptor


def is_repeated(field):
    # protobuf >= 5.28 has `is_repeated`; `label` is gone in 7.
    if hasattr(field, "is_repeated"):
        return field.is_repeated
    return field.label == FieldDescriptor.LABEL_REPEATED


def enum_problems(message, path="Dashboard"):
    """Yields a description of every enum field whose value its enum does not define."""
    for field, value in message.ListFields():
        where = f"{path}.{field.json_name}"
        repeated = is_repeated(field)
        if field.type == FieldDescriptor.TYPE_ENUM:
            for item in value if repeated else [value]:
                if field.enum_type.values_by_number.get(item) is None:
                    yield f"{where}: {item} is not a value of enum {field.enum_type.full_name}"
        elif field.type == FieldDescriptor.TYPE_MESSAGE:
            if field.message_type.GetOptions().map_entry:
                entry_value = field.message_type.fields_by_name["value"]
                if entry_value.type == FieldDescriptor.TYPE_MESSAGE:
                    for key, item in value.items():
                        yield from enum_problems(item, f"{where}[{key!r}]")
            elif repeated:
                for i, item in enumerate(value):
                    yield from enum_problems(item, f"{where}[{i}]")
            else:
                yield from enum_problems(value, where)


POLICY_NAME = re.compile(r"projects/[^/]+/alertPolicies/[^/]+")
PLACEHOLDER = re.compile(r"@ALERT_POLICY:([a-z0-9-]+)@")


def alert_chart_problems(dashboard, policy_keys):
    """Yields what is wrong with the policy name of each alert chart."""
    for i, tile in enumerate(dashboard.mosaic_layout.tiles):
        if "alert_chart" not in tile.widget:
            continue
        name = tile.widget.alert_chart.name
        placeholder = PLACEHOLDER.fullmatch(name)
        where = f"mosaicLayout.tiles[{i}].widget.alertChart.name"
        if not POLICY_NAME.fullmatch(name) and not placeholder:
            yield f"{where}: {name!r} is neither projects/P/alertPolicies/ID nor @ALERT_POLICY:KEY@"
        elif placeholder and policy_keys is not None and placeholder[1] not in policy_keys:
            yield f"{where}: no alert policy file has multirun_policy {placeholder[1]!r}"


def problems(text, policy_keys=None):
    """Returns what is wrong with one dashboard's JSON text (empty when it is accepted);
    `policy_keys`, when known, are the `multirun_policy` labels a placeholder may name."""
    try:
        dashboard = types.Dashboard.from_json(text, ignore_unknown_fields=False)
    except Exception as error:  # json_format.ParseError, or JSON syntax errors
        return [f"rejected by the Dashboard API types: {error}"]
    found = list(enum_problems(types.Dashboard.pb(dashboard)))
    found += alert_chart_problems(dashboard, policy_keys)
    if not dashboard.display_name:
        found.append("displayName is required")
    if types.Dashboard.pb(dashboard).WhichOneof("layout") is None:
        found.append("the dashboard has no layout")
    return found


def self_test():
    """The check must accept a minimal valid dashboard and reject each broken variant."""
    def tile(**widget):
        return {"xPos": 0, "yPos": 0, "width": 24, "height": 16, "widget": {"title": "t", **widget}}

    def dashboard(*tiles, **extra):
        return {"displayName": "d", "mosaicLayout": {"columns": 48, "tiles": list(tiles)}, **extra}

    def chart(aligner="ALIGN_DELTA", **data_set):
        query = {"timeSeriesFilter": {"filter": "metric.type=\"x\"", "aggregation": {"alignmentPeriod": "60s", "perSeriesAligner": aligner}}}
        return {"xyChart": {"dataSets": [{"timeSeriesQuery": query, **data_set}]}}

    def alert(name):
        return {"alertChart": {"name": name}}

    good = dashboard(tile(**chart(plotType="LINE")), tile(**alert("projects/p/alertPolicies/1")),
                     tile(**alert("@ALERT_POLICY:errors-us-central1@")))
    cases = {
        "unknown top-level field": dashboard(tile(**chart()), legacyRows=[]),
        "unknown tile field": dashboard({**tile(**chart()), "colspan": 2}),
        "bad aligner name": dashboard(tile(**chart(aligner="ALIGN_AVERAGE"))),
        "bad enum number": dashboard(tile(**chart(plotType=17))),
        "wrong type": dashboard({**tile(**chart()), "width": "wide"}),
        "no displayName": {"mosaicLayout": {"columns": 48}},
        "no layout": {"displayName": "d"},
        "not JSON": "{",
        "alert chart without a policy name": dashboard(tile(**alert("errors-us-central1"))),
        "placeholder of no policy file": dashboard(tile(**alert("@ALERT_POLICY:errors-x@"))),
    }
    keys = {"errors-us-central1"}
    failures = []
    if problems(json.dumps(good), keys):
        failures.append(f"a valid dashboard was rejected: {problems(json.dumps(good), keys)}")
    for name, case in cases.items():
        text = case if isinstance(case, str) else json.dumps(case)
        if not problems(text, keys):
            failures.append(f"not rejected: {name}")
    for failure in failures:
        print(f"check-dashboard self-test: {failure}", file=sys.stderr)
    if not failures:
        print(f"check-dashboard self-test: 1 valid dashboard accepted, {len(cases)} broken ones rejected")
    return 1 if failures else 0


def policy_keys(dashboard_path):
    """The `multirun_policy` labels of the alert policy files rendered next to a dashboard
    (None when there is no monitoring/ directory to compare with)."""
    files = glob.glob(os.path.join(os.path.dirname(dashboard_path), "monitoring", "alert-policy-*.json"))
    if not files:
        return None
    keys = set()
    for file in files:
        with open(file, encoding="utf-8") as f:
            keys.add(json.load(f)["userLabels"]["multirun_policy"])
    return keys


def main(argv):
    if argv == ["--self-test"]:
        return self_test()
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    failed = 0
    for path in argv:
        with open(path, encoding="utf-8") as f:
            found = problems(f.read(), policy_keys(path))
        for problem in found:
            print(f"{path}: {problem}", file=sys.stderr)
        failed += bool(found)
    print(f"check-dashboard: {len(argv) - failed} accepted, {failed} rejected")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
