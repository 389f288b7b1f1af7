"""Ways round Wine's gaps for the Windows test runs under Wine: test harness only, never shipped.

packaging/windows/pyenv.sh copies this file into the test site-packages ($WIN_SITE_TEST), where
the Windows Python imports it at start-up. Each line names the gap it works round
(../shared/windows.md has the measurements):

- propsys ``VariantToString`` is missing, so CPython 3.13's ``platform`` aborts the process when it
  asks WMI (``platform.system()``, ``platform.uname()``): make it use the registry/API path.
- kernel32 ``CopyFile2`` is missing, so ``shutil.copy*`` (which uses it on Windows from 3.12)
  aborts: remove it so shutil takes its portable read/write path.
"""

import platform

platform._wmi = None  # type: ignore[attr-defined]

try:
    import _winapi
except ImportError:  # not Windows: nothing to work round
    pass
else:
    if hasattr(_winapi, "CopyFile2"):
        del _winapi.CopyFile2
