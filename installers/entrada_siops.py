"""Entry point of the frozen program (PyInstaller): the same ``siops`` command."""

import sys

from siops.app.cli import main

if __name__ == "__main__":
    sys.exit(main())
