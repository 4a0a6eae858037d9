"""Pieces of the progress-table reader: file guard (format, caps, bombs) and cell parsers.

The public entry points are in ``campaigndesk.progress.excel_in`` and
``campaigndesk.progress.excel_out``; nothing here imports Django.
"""
