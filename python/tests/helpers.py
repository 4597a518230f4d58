"""What the tests share: where their data is."""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
# pymarc 3.2.0's test files (BSD-2-Clause; see data/PROVENANCE.md).
DATA = os.path.join(HERE, "data", "pymarc")
# The project's reference data (larger, some GPL): tests that read it skip
# when it is absent.
SHARED = os.environ.get(
    "MARCATO_SHARED_DATA",
    os.path.join(HERE, "..", "..", "..", "shared", "data"))
