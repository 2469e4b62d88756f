"""PyInstaller runtime hook (build.spec): programs the app starts get the user's environment.

The bundle's launcher restarts itself with LD_LIBRARY_PATH pointing at the bundle's own
libraries, and with _PYI_* variables that tell a restarted launcher what it is. The
dynamic loader reads LD_LIBRARY_PATH once, when the process starts, so by the time this
hook runs both have done their job. Left in the environment they would reach every
program the app starts: xdg-open and the mail client behind a mailto: link, or the
desktop's cache tools, would load this bundle's copies of GLib, fontconfig or libstdc++
in place of their own, and a second copy of the bundle would take itself for the first
one's restart.
"""

import os


def _restore_user_environment() -> None:
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is None:
        os.environ.pop("LD_LIBRARY_PATH", None)
    else:
        os.environ["LD_LIBRARY_PATH"] = original
    for name in [name for name in os.environ if name.startswith("_PYI_")]:
        del os.environ[name]


_restore_user_environment()
