"""The entry point bin/curl runs: imports the fake Monitoring API (bytecode cached as
gcloud_main.py does) and runs one curl invocation."""
import os
import sys

sys.dont_write_bytecode = False
sys.pycache_prefix = os.path.join(os.environ.get('TMPDIR') or '/tmp',
                                  f'fakecloud-pycache-{os.getuid()}')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fakemonitoring  # noqa: E402

sys.exit(fakemonitoring.main())
