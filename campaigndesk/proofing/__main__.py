"""`python -m campaigndesk.proofing FILE [--json]`."""

import sys

from .cli import main

sys.exit(main())
