"""Runs the CI jobs of the README ("In CI": GitHub Actions and GitLab CI) in a git repository.

Usage (from tests/external/precommit.sh, in its test repository, with multirun on PATH):
    python ci_jobs.py DOC...

Each job is taken from the first ```yaml block under its heading in the first DOC that has it, checked against the
official workflow / pipeline JSON Schemas vendored in check-jsonschema, then run step by step
the way the CI service would (bash -eo pipefail), except the step that installs multirun. Two
scenarios: clean specs (one warning) pass with an annotation and SARIF / code-quality reports;
then a spec with an error makes the jobs fail, still with their reports.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

passed = 0


def check(condition: bool, message: str, output: str = "") -> None:
    global passed
    if not condition:
        print(f"FAIL: {message}")
        if output:
            print("---- output ----")
            print(output)
        print(f"{passed} passed, 1 failed")
        sys.exit(1)


def ok(message: str) -> None:
    global passed
    passed += 1
    print(f"ok - {message}")


def block_after(docs: list[str], heading: str) -> str:
    """The first ```yaml block after the heading line `heading`, in the first doc that has it."""
    for doc in docs:
        lines = doc.splitlines()
        start = next((i for i, line in enumerate(lines) if re.match(r"^#+ " + re.escape(heading) + r"\s*$", line)), None)
        if start is None:
            continue
        for i in range(start + 1, len(lines)):
            if lines[i].startswith("```yaml"):
                end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
                return "\n".join(lines[i + 1 : end]) + "\n"
            check(not re.match(r"^#+ ", lines[i]), f"no yaml block under {heading!r}")
    check(False, f"no heading {heading!r} followed by a yaml block")
    return ""


def schema_check(text: str, schema: str) -> None:
    tool = shutil.which("check-jsonschema") or os.path.join(os.path.dirname(sys.executable), "check-jsonschema")
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
        f.write(text)
    try:
        run = subprocess.run([tool, "--builtin-schema", schema, f.name], capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    check(run.returncode == 0, f"the documented job does not match the {schema} schema", run.stdout + run.stderr)


def bash(script: str) -> tuple[int, str]:
    # How both services run a script: bash, stopping at the first failing command.
    run = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], capture_output=True, text=True)
    return run.returncode, run.stdout + run.stderr


def installs_multirun(command: str) -> bool:
    return "cargo install" in command


def github(workflow: dict) -> dict[str, tuple[int, str]]:
    """Runs each `run:` step of the workflow's jobs; returns status and output by step name."""
    results = {}
    for job in workflow["jobs"].values():
        failed = False
        for step in job["steps"]:
            if "run" not in step or installs_multirun(step["run"]):
                continue
            condition = str(step.get("if", "success()"))
            if failed and "cancelled()" not in condition and "always()" not in condition:
                results[step["name"]] = (None, "skipped")
                continue
            status, output = bash(step["run"])
            results[step["name"]] = (status, output)
            failed = failed or status != 0
    return results


def gitlab(pipeline: dict) -> tuple[int, str]:
    job = pipeline["multirun"]
    script = "\n".join(line for line in job["script"] if not installs_multirun(line))
    return bash(script)


def main() -> None:
    docs = [open(path, encoding="utf-8").read() for path in sys.argv[1:] if os.path.exists(path)]
    workflow_text = block_after(docs, "GitHub Actions")
    pipeline_text = block_after(docs, "GitLab CI")
    schema_check(workflow_text, "vendor.github-workflows")
    schema_check(pipeline_text, "vendor.gitlab-ci")
    ok("the GitHub workflow and the GitLab pipeline match their official schemas")
    workflow = yaml.safe_load(workflow_text)
    pipeline = yaml.safe_load(pipeline_text)
    check(any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for j in workflow["jobs"].values() for s in j["steps"]), "no SARIF upload step")
    check(pipeline["multirun"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json", "no codequality report")

    # Clean specs (one with a warning), generated files up to date: every step passes.
    results = github(workflow)
    everything = "\n".join(f"[{name}: {status}]\n{out}" for name, (status, out) in results.items())
    check(all(status == 0 for status, _ in results.values()), "a GitHub step failed on clean specs", everything)
    annotations = results["Validate (annotations)"][1]
    check("::warning file=svc/api.multirun.yaml,line=26," in annotations and "::error" not in annotations, "annotations", everything)
    sarif = json.load(open("multirun.sarif", encoding="utf-8"))
    check([r["ruleId"] for r in sarif["runs"][0]["results"]] == ["MR105"], "SARIF results", everything)
    status, output = gitlab(pipeline)
    check(status == 0, "the GitLab job failed on clean specs", output)
    report = json.load(open("gl-code-quality-report.json", encoding="utf-8"))
    check([(i["check_name"], i["severity"], i["location"]["path"]) for i in report] == [("MR105", "minor", "svc/api.multirun.yaml")], "code quality report", output)
    ok("clean specs: both jobs pass, with a warning annotation, SARIF and a code quality report")

    # A spec with an error: the jobs fail, and still write their reports.
    shutil.copy(os.environ["MULTIRUN_BAD_SPEC"], "bad.multirun.yaml")
    subprocess.run(["git", "add", "bad.multirun.yaml"], check=True)
    results = github(workflow)
    everything = "\n".join(f"[{name}: {status}]\n{out}" for name, (status, out) in results.items())
    check(results["Validate (annotations)"][0] == 1, "the annotations step passed a spec with an error", everything)
    check("::error file=bad.multirun.yaml,line=13,endLine=13,col=13,endColumn=15,title=MR103 weights-sum::" in results["Validate (annotations)"][1], "error annotation", everything)
    check(results["Validate (SARIF for code scanning)"][0] == 0, "the SARIF step should pass on findings (it only reports)", everything)
    sarif = json.load(open("multirun.sarif", encoding="utf-8"))
    check(sorted(r["ruleId"] for r in sarif["runs"][0]["results"]) == ["MR103", "MR105"], "SARIF results with the error", everything)
    check(results["Generated files are up to date"][0] == 1, "the render check should fail on a spec with errors", everything)
    status, output = gitlab(pipeline)
    check(status != 0 and "bad.multirun.yaml:13:13" in output, "the GitLab job should fail, showing the error", output)
    report = json.load(open("gl-code-quality-report.json", encoding="utf-8"))
    check(sorted((i["check_name"], i["severity"]) for i in report) == [("MR103", "major"), ("MR105", "minor")], "code quality report with the error", output)
    subprocess.run(["git", "rm", "-q", "--cached", "bad.multirun.yaml"], check=True)
    os.unlink("bad.multirun.yaml")
    ok("a spec with an error: both jobs fail, with an error annotation, SARIF and a code quality report")
    print(f"{passed} passed, 0 failed")


if __name__ == "__main__":
    main()
