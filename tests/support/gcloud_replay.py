"""Replays gcloud command lines through the real gcloud, in one process, offline.

Run with the Python interpreter of a Google Cloud SDK installation:

    python gcloud_replay.py SDK_ROOT < calls.json

Reads a JSON list of argument lists (without the leading `gcloud`) and runs each through one
gcloud CLI object, as gcloud's own unit tests do, instead of starting gcloud once per command:
loading the SDK costs about a second, and a replay has hundreds of commands. Each command is
parsed and its files loaded afresh; only the loaded command tree is shared.

Writes one JSON line per command: {"call": [...], "code": exit status, "stderr": "..."}.
The caller points every API at a closed port and gives gcloud an empty configuration, so a
command that gets past its arguments stops at "no active account".
"""
import json
import os
import sys
import tempfile

sdk = sys.argv[1]
sys.path[:0] = [os.path.join(sdk, 'lib'), os.path.join(sdk, 'lib', 'third_party')]

import gcloud  # noqa: E402  (the SDK's lib/gcloud.py, which gcloud itself starts from)

gcloud._fix_google_module()

from googlecloudsdk import gcloud_main  # noqa: E402

cli = gcloud_main.CreateCLI([])


def run(call):
    """Runs one command with file descriptor 2 captured (gcloud's log handlers hold their own
    reference to the stream, so replacing sys.stderr would miss them)."""
    with tempfile.TemporaryFile() as captured:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(captured.fileno(), 2)
        try:
            cli.Execute(call)
            code = 0
        except SystemExit as exit_:
            code = exit_.code
        except Exception as error:  # noqa: BLE001 - reported to the caller, not raised
            code = f'{type(error).__name__}: {error}'
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
        captured.seek(0)
        return code, captured.read().decode('utf-8', 'replace')


for call in json.load(sys.stdin):
    code, stderr = run(call)
    print(json.dumps({'call': call, 'code': code, 'stderr': stderr}), flush=True)
