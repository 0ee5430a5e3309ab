"""`python -m handlers.cli` is the same as `gridbot`."""

import sys

from handlers.cli import main

sys.exit(main())
