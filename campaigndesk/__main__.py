"""The `campaigndesk` console script: the project's manage.py."""

import os
import sys


def main() -> None:
    # After `make install`, the local run environment (var/local.env) stands in for the
    # variables nobody set by hand; an operator's environment (with SECRET_KEY) is untouched.
    from campaigndesk import filemodes, localenv

    # Before anything writes: every file and folder a command creates is owner-only.
    filemodes.owner_only_from_now()
    localenv.load()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaigndesk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
