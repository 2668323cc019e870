"""The entry point bin/gcloud runs: imports the fake (compiled once, cached outside the
repository under $TMPDIR/fakecloud-pycache-UID) and runs one gcloud invocation."""
import os
import sys

sys.dont_write_bytecode = False
sys.pycache_prefix = os.path.join(os.environ.get('TMPDIR') or '/tmp',
                                  f'fakecloud-pycache-{os.getuid()}')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fakegcloud  # noqa: E402

sys.exit(fakegcloud.main())
