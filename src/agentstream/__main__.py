"""``python -m agentstream``: the same as the ``agentstream`` command."""

import sys

from ._cli import main

sys.exit(main())
