"""What the unit tree tells the apps above it (the layers point one way: units imports none
of them)."""

from django.dispatch import Signal

# Sent inside the transaction that moved a unit to another reports_to parent, after its
# and its subtree's paths were rewritten: unit_id, old_path, new_path. progress keeps its
# maintained totals with it (progress.totals.move_subtree).
subtree_moved = Signal()
