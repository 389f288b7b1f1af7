"""What differs between Windows and Linux, in one home (stdlib only, no Qt).

Each module here answers one question for both systems — where the user's data lives,
how a path becomes an SQLite URI, which file names Windows refuses, how the console
is encoded, which input method Qt should use — so that storage, pdf, the CLI and the
app never test ``os.name`` themselves. Every function takes the system it answers for
as a parameter where that is practical, so both answers are tested on either system.
"""
