"""Campaign Desk: the department and its bureaus run a publicity campaign together."""
