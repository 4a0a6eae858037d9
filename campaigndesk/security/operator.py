"""Who ran a command: the audit names the operating-system account at the command line."""

import getpass


def command_line_operator() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (containers)
        user = "?"
    return f"命令行：{user}"[:150]
