"""The report's domain: data and pure functions, standard library only.

Modules: ``model`` (dataclasses), ``money`` (parsing and formatting numbers and dates),
``totals`` (derived figures), ``checks`` (reviewer rules), ``edits`` (the one edit path),
``serialize`` (plain data), ``outline`` (report outlines).
"""
