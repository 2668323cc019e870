#!/usr/bin/env python3
"""Checks the monitoring target's files against the official Cloud Monitoring v3 API types.

Usage: check-monitoring.py RENDER_DIR...   check RENDER_DIR/monitoring/*.json of each
       check-monitoring.py --self-test     prove the check rejects broken policies and checks

`alert-policy-*.json` must parse strictly as google.monitoring.v3.AlertPolicy and
`uptime-check-*.json` as google.monitoring.v3.UptimeCheckConfig, with the types from
google-cloud-monitoring (PyPI; pinned in tests/requirements.txt):
- `from_json(text, ignore_unknown_fields=False)`: an unknown field, a wrong type or an unknown
  enum name fails;
- every enum field holds a value its enum defines;
- a policy has a displayName, at least one condition, each with exactly one condition kind,
  and alignment periods of at least 60 s; a check has a displayName, a monitored resource or
  group, and an HTTP or TCP check.
"""

import glob
import json
import os
import sys

from google.cloud.monitoring_v3 import types
from google.protobuf.descriptor import FieldDescriptor


def is_repeated(field):
    if hasattr(field, "is_repeated"):
        return field.is_repeated
    return field.label == FieldDescriptor.LABEL_REPEATED


def enum_problems(message, path):
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
                continue
            for i, item in enumerate(value if repeated else [value]):
                yield from enum_problems(item, f"{where}[{i}]" if repeated else where)


def aggregations(condition):
    threshold = condition.condition_threshold
    yield from threshold.aggregations
    yield from threshold.denominator_aggregations


def policy_problems(text):
    try:
        policy = types.AlertPolicy.from_json(text, ignore_unknown_fields=False)
    except Exception as error:
        return [f"rejected by the AlertPolicy type: {error}"]
    pb = types.AlertPolicy.pb(policy)
    found = list(enum_problems(pb, "AlertPolicy"))
    if not policy.display_name:
        found.append("displayName is required")
    if not policy.conditions:
        found.append("a policy needs at least one condition")
    for i, condition in enumerate(pb.conditions):
        if condition.WhichOneof("condition") is None:
            found.append(f"conditions[{i}] has no condition kind")
    for condition in policy.conditions:
        for aggregation in aggregations(condition):
            if aggregation.alignment_period.total_seconds() < 60:
                found.append("an alignmentPeriod is shorter than 60 s")
    return found


def uptime_problems(text):
    try:
        check = types.UptimeCheckConfig.from_json(text, ignore_unknown_fields=False)
    except Exception as error:
        return [f"rejected by the UptimeCheckConfig type: {error}"]
    pb = types.UptimeCheckConfig.pb(check)
    found = list(enum_problems(pb, "UptimeCheckConfig"))
    if not check.display_name:
        found.append("displayName is required")
    if pb.WhichOneof("resource") is None:
        found.append("an uptime check needs a monitoredResource or resourceGroup")
    if pb.WhichOneof("check_request_type") is None:
        found.append("an uptime check needs an httpCheck or tcpCheck")
    return found


def problems(path, text):
    name = os.path.basename(path)
    if name.startswith("uptime-check-"):
        return uptime_problems(text)
    return policy_problems(text)


def self_test():
    condition = {"displayName": "c", "conditionThreshold": {
        "filter": "metric.type=\"x\"", "comparison": "COMPARISON_GT", "thresholdValue": 1,
        "duration": "0s", "aggregations": [{"alignmentPeriod": "60s", "perSeriesAligner": "ALIGN_DELTA"}]}}
    policy = {"displayName": "p", "combiner": "OR", "conditions": [condition]}
    check = {"displayName": "u", "monitoredResource": {"type": "uptime_url", "labels": {"host": "a.example.com"}},
             "httpCheck": {"path": "/", "port": 443, "useSsl": True}, "period": "60s", "timeout": "10s"}
    short = json.loads(json.dumps(policy))
    short["conditions"][0]["conditionThreshold"]["aggregations"][0]["alignmentPeriod"] = "30s"
    cases = {
        "alert-policy-unknown-field.json": {**policy, "threshold": 1},
        "alert-policy-bad-enum.json": {**policy, "combiner": "XOR"},
        "alert-policy-bad-enum-number.json": {**policy, "combiner": 17},
        "alert-policy-no-conditions.json": {"displayName": "p", "combiner": "OR"},
        "alert-policy-short-period.json": short,
        "alert-policy-empty-condition.json": {**policy, "conditions": [{"displayName": "c"}]},
        "uptime-check-unknown-field.json": {**check, "interval": "60s"},
        "uptime-check-no-resource.json": {k: v for k, v in check.items() if k != "monitoredResource"},
        "uptime-check-wrong-type.json": {**check, "httpCheck": {"port": "https"}},
        "uptime-check-not-json.json": "{",
    }
    failures = []
    for name, good in (("alert-policy-good.json", policy), ("uptime-check-good.json", check)):
        found = problems(name, json.dumps(good))
        if found:
            failures.append(f"{name} was rejected: {found}")
    for name, case in cases.items():
        text = case if isinstance(case, str) else json.dumps(case)
        if not problems(name, text):
            failures.append(f"not rejected: {name}")
    for failure in failures:
        print(f"check-monitoring self-test: {failure}", file=sys.stderr)
    if not failures:
        print(f"check-monitoring self-test: 2 valid resources accepted, {len(cases)} broken ones rejected")
    return 1 if failures else 0


def main(argv):
    if argv == ["--self-test"]:
        return self_test()
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    checked = failed = 0
    for directory in argv:
        for path in sorted(glob.glob(os.path.join(directory, "monitoring", "*.json"))):
            with open(path, encoding="utf-8") as f:
                found = problems(path, f.read())
            for problem in found:
                print(f"{path}: {problem}", file=sys.stderr)
            checked += 1
            failed += bool(found)
    if checked == 0:
        print("check-monitoring: no monitoring/*.json under the given directories", file=sys.stderr)
        return 1
    print(f"check-monitoring: {checked - failed} accepted, {failed} rejected")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
