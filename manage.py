#!/usr/bin/env python
"""Same as the `campaigndesk` console script, for those who type manage.py."""

from campaigndesk.__main__ import main

if __name__ == "__main__":
    main()
